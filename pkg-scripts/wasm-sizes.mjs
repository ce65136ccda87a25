// Groups the widget's Wasm by where each byte comes from: reads `twiggy top --format csv` of a
// build that still has its `name` section (pkg-scripts/wasm-sizes.sh makes one) and sums every
// function and data segment into the crate, or the family of standard-library generics, it
// belongs to. BENCHMARKS.md's "Where the bytes are" is this script's table.
//
// Names are rustc's demangled ones. A function of the standard library compiled ahead of time
// carries the library's hash (`core[c5930c85a12de822]::fmt::…`); a generic of it instantiated
// for one of our types has none (`alloc::collections::btree::map::…::h…`), so the two are told
// apart. A trait method is counted for the type it is implemented on (`<A as B>::f` goes to A).
//
// Usage: twiggy top --format csv -n 1000000 FILE.wasm | node pkg-scripts/wasm-sizes.mjs [TOP]
//   TOP: how many of the largest items to list under each group (default 3)

import { readFileSync } from 'node:fs';

/** Groups in the order they are printed; the first whose test matches an item takes it. */
const GROUPS = [
  ['wasm-bindgen exports, shims and the function table', (n, c) => c === 'wasm_bindgen' || c === 'wasm_bindgen_futures' || /^(export |import |elem\[|table\[|__wbindgen|__wbg_|__externref|Closure\(|.* externref shim|.* multivalue shim)/.test(n)],
  ['data: strings and constant tables (every crate\'s)', (n) => /^data segment/.test(n)],
  ['our widget: components (yew function components)', (n, c) => c === 'survey_widget' && /survey_widget::components::/.test(n)],
  ['our widget: state, flow, i18n, storage, delivery, mount', (n, c) => c === 'survey_widget'],
  ['our model (survey_model)', (n, c) => c === 'survey_model'],
  ['std generics for our types: BTreeMap/BTreeSet', (n, c) => c === 'alloc' && /collections::btree/.test(n)],
  ['std generics for our types: Vec, String, slices', (n, c) => c === 'alloc' && /(vec|raw_vec|string|slice|str)\b/.test(n)],
  ['std generics for our types: Rc, Box and the rest of alloc', (n, c) => c === 'alloc'],
  ['std generics for our types: iterator adapters', (n, c) => c === 'core' && /core::iter::/.test(n)],
  ['std generics for our types: drop glue', (n, c) => c === 'core' && /drop_in_place/.test(n)],
  ['std generics for our types: Option, Result, clone, cmp, fmt and the rest of core', (n, c) => c === 'core' || c === 'std'],
  ['std ahead of time: float formatting and parsing', (n, c) => c === 'core[]' && /(flt2dec|dec2flt|fmt::float|f64 as core\[[0-9a-f]+\]::fmt)/.test(n)],
  ['std ahead of time: fmt (Display, Debug, padding) besides floats', (n, c) => c === 'core[]' && /fmt/.test(n)],
  ['std ahead of time: panics, str and the rest', (n, c) => c === 'core[]' || c === 'alloc[]' || c === 'std[]'],
  ['the allocator (dlmalloc)', (n, c) => c === 'dlmalloc[]' || c === 'dlmalloc'],
  ['yew (with implicit_clone, indexmap, slab, tracing)', (n, c) => ['yew', 'implicit_clone', 'indexmap', 'slab', 'tracing', 'tracing_core', 'prokio', 'pinned', 'futures', 'futures_util', 'futures_core', 'futures_channel', 'bincode', 'console_error_panic_hook'].includes(c)],
  ['hashbrown (HashMap/HashSet)', (n, c) => c === 'hashbrown' || c === 'hashbrown[]'],
  ['serde_json and serde', (n, c) => ['serde_json', 'serde', 'serde_core', 'itoa', 'ryu', 'zmij', 'memchr'].includes(c)],
  ['regex-lite', (n, c) => c === 'regex_lite'],
  ['js-sys, web-sys, gloo', (n, c) => ['js_sys', 'web_sys', 'gloo', 'gloo_console', 'gloo_events', 'gloo_timers', 'gloo_utils'].includes(c)],
  ['everything else', () => true],
];

/** The crate an item's name starts with; `core[]` for the standard library's own compiled code. */
export function crateOf(name) {
  let rest = name;
  // `<A as B>::f`, `<&mut A as B>`, `<[T] as B>`, `<impl …>`: the implementing type's crate.
  for (;;) {
    const before = rest;
    rest = rest.replace(/^(<|&|mut |dyn |impl |\*const |\*mut |\[|\(|\{\{closure\}\}<)/, '');
    if (rest === before) break;
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?/.exec(rest);
  if (!m) return '';
  // `<f64 as core::fmt::Display>`, `<T as alloc::…>`: a primitive or a type parameter has no
  // crate of its own, so the trait's crate is the one that brought the code in.
  const as = rest.indexOf(' as ');
  if (PRIMITIVE.test(m[1]) && as !== -1) return crateOf(rest.slice(as + 4));
  if (m[1] === '__rustc') return 'core[]';
  return m[2] ? `${m[1]}[]` : m[1];
}

const PRIMITIVE = /^([A-Z]|[iuf](8|16|32|64|128|size)|bool|char|str)$/;

/** Parses twiggy's CSV (names are quoted, with `""` for a quote inside). */
export function parseTwiggyCsv(text) {
  const items = [];
  for (const line of text.split('\n').slice(1)) {
    if (!line.trim()) continue;
    let name;
    let rest;
    if (line.startsWith('"')) {
      let i = 1;
      name = '';
      for (; i < line.length; i += 1) {
        if (line[i] === '"' && line[i + 1] === '"') { name += '"'; i += 1; } else if (line[i] === '"') break; else name += line[i];
      }
      rest = line.slice(i + 2);
    } else {
      const comma = line.indexOf(',');
      name = line.slice(0, comma);
      rest = line.slice(comma + 1);
    }
    items.push({ name, bytes: Number(rest.split(',')[0]) });
  }
  return items;
}

/** Sums items into GROUPS; custom sections (the names themselves) are kept apart. */
export function group(items) {
  const groups = GROUPS.map(([label]) => ({ label, bytes: 0, items: [] }));
  const sections = [];
  for (const item of items) {
    if (/subsection$|^custom section/.test(item.name)) { sections.push(item); continue; }
    const crate = crateOf(item.name);
    const index = GROUPS.findIndex(([, test]) => test(item.name, crate));
    groups[index].bytes += item.bytes;
    groups[index].items.push(item);
  }
  for (const g of groups) g.items.sort((a, b) => b.bytes - a.bytes);
  return { groups, sections };
}

function short(name) {
  return name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const top = Number(process.argv[2] ?? 3);
  const { groups, sections } = group(parseTwiggyCsv(readFileSync(0, 'utf8')));
  const total = groups.reduce((sum, g) => sum + g.bytes, 0);
  const kb = (b) => (b / 1024).toFixed(1);
  console.log(`code and data: ${total} bytes (${kb(total)} KB); name and other custom sections left out: ${sections.reduce((s, i) => s + i.bytes, 0)} bytes`);
  console.log('');
  console.log('| what | bytes | share | largest items |');
  console.log('|---|---:|---:|---|');
  for (const g of [...groups].sort((a, b) => b.bytes - a.bytes)) {
    if (g.bytes === 0) continue;
    const largest = g.items.slice(0, top).map((i) => `\`${short(i.name).slice(0, 90)}\` ${kb(i.bytes)} KB`).join('; ');
    console.log(`| ${g.label} | ${g.bytes} | ${((100 * g.bytes) / total).toFixed(1)}% | ${largest} |`);
  }
}
