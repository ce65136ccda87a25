//! placeholder while the widget is written
