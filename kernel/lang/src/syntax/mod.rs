//! The syntax layer: tokens, the tree, and the parser. Depends only on `core::error`.

pub mod ast;
pub mod lexer;
pub mod parser;
