//! The one HTML builder. Tag and attribute names are `&'static str` program constants;
//! every piece of text and every attribute value goes through [`escape`] here, and HTML
//! reaches the frontend from nowhere else.

/// Escapes text for element content and quoted attribute values.
fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

/// An HTML fragment under construction. Tags opened are closed by [`Html::close`] or,
/// at the latest, by [`Html::finish`], so the output is always well nested.
#[derive(Debug, Default)]
pub struct Html {
    out: String,
    open: Vec<&'static str>,
}

impl Html {
    /// An empty fragment.
    pub fn new() -> Self {
        Self::default()
    }

    /// `<tag a="v" …>`, values escaped.
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.start_tag(tag, attrs);
        self.open.push(tag);
        self
    }

    /// Closes the innermost open tag.
    pub fn close(&mut self) -> &mut Self {
        if let Some(tag) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push('>');
        }
        self
    }

    /// Escaped text.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.out.push_str(&escape(text));
        self
    }

    /// A line break in the source, for readable output.
    pub fn newline(&mut self) -> &mut Self {
        self.out.push('\n');
        self
    }

    /// `<tag>text</tag>`.
    pub fn elem(&mut self, tag: &'static str, text: &str) -> &mut Self {
        self.elem_with(tag, &[], text)
    }

    /// `<tag a="v">text</tag>`.
    pub fn elem_with(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, &str)],
        text: &str,
    ) -> &mut Self {
        self.open(tag, attrs).text(text).close()
    }

    /// A tag without content: `<meta charset="utf-8">`.
    pub fn void(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.start_tag(tag, attrs);
        self
    }

    /// `<!doctype html>`, to start a page.
    pub fn doctype(&mut self) -> &mut Self {
        self.out.push_str("<!doctype html>");
        self
    }

    /// A style sheet; only program constants qualify.
    pub fn style(&mut self, css: &'static str) -> &mut Self {
        self.out.push_str("<style>");
        self.out.push_str(css);
        self.out.push_str("</style>");
        self
    }

    /// Another finished fragment, nested here.
    pub fn append(&mut self, fragment: Html) -> &mut Self {
        self.out.push_str(&fragment.finish());
        self
    }

    /// A table: one header row, then one row per item; every cell escaped.
    pub fn table<R: AsRef<str>>(
        &mut self,
        attrs: &[(&'static str, &str)],
        header: &[&str],
        rows: impl IntoIterator<Item = Vec<R>>,
    ) -> &mut Self {
        self.open("table", attrs)
            .newline()
            .open("thead", &[])
            .open("tr", &[]);
        for h in header {
            self.elem("th", h);
        }
        self.close().close().newline().open("tbody", &[]).newline();
        for row in rows {
            self.open("tr", &[]);
            for cell in row {
                self.elem("td", cell.as_ref());
            }
            self.close().newline();
        }
        self.close().newline().close().newline()
    }

    /// The HTML, every open tag closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }

    fn start_tag(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.out.push_str(&escape(value));
            self.out.push('"');
        }
        self.out.push('>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_tags_nest() {
        let mut h = Html::new();
        h.open("div", &[("title", "\"><script>")])
            .elem("p", "<b>&</b>")
            .open("span", &[]);
        assert_eq!(
            h.finish(),
            "<div title=\"&quot;&gt;&lt;script&gt;\"><p>&lt;b&gt;&amp;&lt;/b&gt;</p><span></span></div>"
        );
    }
}
