//! Shortcodes and Liquid tags: every one found is counted by name with its file:line; the
//! common ones with a plain Markdown equivalent are converted, the others kept as text.

use std::collections::BTreeMap;
use std::path::Path;

use super::Generator;
use super::urls::Index;

/// Per shortcode name: how many were found and converted, and where the kept ones are.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    pub names: BTreeMap<String, Count>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Count {
    pub found: usize,
    pub converted: usize,
    /// `file:line` of each one kept as text.
    pub kept_at: Vec<String>,
}

impl Tally {
    fn record(&mut self, name: &str, converted: bool, at: impl FnOnce() -> String) {
        let count = self.names.entry(name.to_string()).or_default();
        count.found += 1;
        if converted {
            count.converted += 1;
        } else {
            count.kept_at.push(at());
        }
    }

    pub fn merge(&mut self, other: Tally) {
        for (name, c) in other.names {
            let mine = self.names.entry(name).or_default();
            mine.found += c.found;
            mine.converted += c.converted;
            mine.kept_at.extend(c.kept_at);
        }
    }

    pub fn found(&self) -> usize {
        self.names.values().map(|c| c.found).sum()
    }

    pub fn converted(&self) -> usize {
        self.names.values().map(|c| c.converted).sum()
    }
}

/// The delimiters of a dialect's tags.
fn delimiters(generator: Generator) -> &'static [(&'static str, &'static str)] {
    match generator {
        Generator::Hugo => &[("{{<", ">}}"), ("{{%", "%}}")],
        Generator::Zola | Generator::Jekyll | Generator::Pelican => &[("{{", "}}"), ("{%", "%}")],
    }
}

/// A tag's name and arguments: `figure src="x" alt="y"`, `youtube(id="x")`, `post_url x`.
#[derive(Debug, Default)]
struct Tag {
    name: String,
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Tag {
    fn parse(inner: &str) -> Tag {
        let inner = inner
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let name_end = inner
            .find(|c: char| c.is_whitespace() || c == '(')
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_string();
        let mut args = inner[name_end..].trim();
        if let Some(a) = args.strip_prefix('(') {
            args = a.trim_end().strip_suffix(')').unwrap_or(a);
        }
        let mut tag = Tag {
            name,
            ..Tag::default()
        };
        let mut chars = args.chars().peekable();
        let mut key = String::new();
        loop {
            while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
                chars.next();
            }
            let Some(&c) = chars.peek() else { break };
            let value = if c == '"' || c == '\'' || c == '`' {
                chars.next();
                let mut v = String::new();
                for ch in chars.by_ref() {
                    if ch == c {
                        break;
                    }
                    v.push(ch);
                }
                v
            } else {
                let mut v = String::new();
                while let Some(&ch) = chars.peek() {
                    if ch.is_whitespace() || ch == ',' || ch == '=' {
                        break;
                    }
                    v.push(ch);
                    chars.next();
                }
                if chars.peek() == Some(&'=') {
                    chars.next();
                    key = v;
                    continue;
                }
                v
            };
            if key.is_empty() {
                tag.positional.push(value);
            } else {
                tag.named.push((std::mem::take(&mut key), value));
            }
        }
        tag
    }

    fn arg(&self, names: &[&str], position: usize) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| names.contains(&k.as_str()))
            .map(|(_, v)| v.as_str())
            .or_else(|| {
                self.named
                    .is_empty()
                    .then(|| self.positional.get(position).map(String::as_str))
                    .flatten()
            })
    }
}

/// Converts what has a Markdown equivalent and tallies every tag of `body`.
pub(crate) fn convert(
    generator: Generator,
    body: &str,
    path: &Path,
    body_line: usize,
    index: &Index,
    base_path: &str,
) -> (String, Tally) {
    let mut tally = Tally::default();
    let delims = delimiters(generator);
    let mut out = String::with_capacity(body.len());
    let mut pos = 0;
    // Lines counted as the scan moves on, never from the start again.
    let (mut counted_to, mut line) = (0, body_line);
    let mut line_at = |offset: usize| {
        line += body[counted_to..offset].matches('\n').count();
        counted_to = offset;
        line
    };
    let mut search = 0;
    while search < body.len() {
        search = search.max(pos);
        // Tags open with `{`: found by that byte, in one pass.
        let Some(found) = body[search..].find('{') else {
            break;
        };
        let start = search + found;
        let Some((open, close)) = delims
            .iter()
            .find(|(open, _)| body[start..].starts_with(open))
            .copied()
        else {
            search = start + 1;
            continue;
        };
        let inner_start = start + open.len();
        let Some(len) = body[inner_start..].find(close) else {
            break;
        };
        let inner = &body[inner_start..inner_start + len];
        let end = inner_start + len + close.len();
        search = end;
        let here = format!("{}:{}", path.display(), line_at(start));
        let at = || here.clone();
        // Hugo's escaped `{{</* x */>}}` is text.
        if inner.starts_with("/*") || inner.trim().is_empty() {
            out.push_str(&body[pos..end]);
            pos = end;
            continue;
        }
        let tag = Tag::parse(inner);
        if tag.name.starts_with('/') || tag.name == "end" || tag.name.starts_with("end") {
            // A closing tag whose opening one was kept: kept with it.
            out.push_str(&body[pos..end]);
            pos = end;
            continue;
        }
        let liquid = matches!(generator, Generator::Jekyll | Generator::Pelican);
        // Zola's `{{ x }}` is only a shortcode when called: `{{ name(…) }}`.
        if generator == Generator::Zola && open == "{{" && !inner.trim_start().contains('(') {
            out.push_str(&body[pos..end]);
            pos = end;
            continue;
        }
        let name = if liquid && open == "{{" {
            inner.trim().to_string()
        } else {
            tag.name.clone()
        };
        out.push_str(&body[pos..start]);
        if let Some((text, after)) = paired(body, end, &name, &tag, liquid) {
            out.push_str(&text);
            tally.record(&name, true, at);
            pos = after;
            continue;
        }
        let converted = markdown_for(&name, &tag, liquid, index, base_path);
        match converted {
            Some(text) => {
                out.push_str(&text);
                tally.record(&name, true, at);
            }
            None => {
                out.push_str(&body[start..end]);
                let label = if liquid && open == "{{" {
                    format!("{{{{ {name} }}}}")
                } else {
                    name.clone()
                };
                tally.record(&label, false, at);
            }
        }
        pos = end;
    }
    out.push_str(&body[pos.min(body.len())..]);
    (out, tally)
}

/// A paired tag (`highlight`, Liquid's `comment` and `raw`) with what it encloses: their
/// Markdown, and where the closing tag ends. `None` when `name` is not paired or its closing
/// tag is missing, so the tag is treated as a single one.
fn paired(body: &str, end: usize, name: &str, tag: &Tag, liquid: bool) -> Option<(String, usize)> {
    // The code between them, as a fenced block.
    if name == "highlight" {
        let closing = if liquid {
            vec!["{% endhighlight %}", "{%- endhighlight -%}"]
        } else {
            vec![
                "{{< /highlight >}}",
                "{{</highlight>}}",
                "{{% /highlight %}}",
            ]
        };
        let found = closing
            .iter()
            .filter_map(|c| body[end..].find(c).map(|i| (end + i, c.len())))
            .min();
        if let Some((close_at, close_len)) = found {
            let lang = tag.positional.first().map(String::as_str).unwrap_or("");
            let code = body[end..close_at].trim_start_matches('\n');
            let mut text = format!("```{lang}\n{code}");
            if !code.ends_with('\n') {
                text.push('\n');
            }
            text.push_str("```");
            return Some((text, close_at + close_len));
        }
    }
    if liquid && name == "comment" {
        // `{% comment %}…{% endcomment %}`: an HTML comment, still out of the page.
        if let Some(i) = body[end..].find("{% endcomment %}") {
            let text = body[end..end + i].replace("--", "- -");
            return Some((format!("<!--{text}-->"), end + i + "{% endcomment %}".len()));
        }
    }
    if liquid && name == "raw" {
        // `{% raw %}…{% endraw %}`: the text inside as written, the tags gone.
        if let Some(i) = body[end..].find("{% endraw %}") {
            return Some((
                body[end..end + i].to_string(),
                end + i + "{% endraw %}".len(),
            ));
        }
    }
    None
}

/// The Markdown for one tag, when there is a plain equivalent.
fn markdown_for(
    name: &str,
    tag: &Tag,
    liquid: bool,
    index: &Index,
    base_path: &str,
) -> Option<String> {
    match name {
        "figure" | "image" | "img" if !liquid || name != "img" => {
            let src = tag.arg(&["src", "path", "url"], 0)?;
            let alt = tag
                .arg(&["alt"], 99)
                .or_else(|| tag.arg(&["caption", "title"], 99))
                .unwrap_or("");
            let title = tag.arg(&["caption", "title"], 99);
            Some(match title {
                Some(t) => format!("![{alt}]({src} \"{}\")", t.replace('"', "'")),
                None => format!("![{alt}]({src})"),
            })
        }
        "youtube" => {
            let id = tag.arg(&["id"], 0)?;
            Some(format!(
                "[YouTube video {id}](https://www.youtube.com/watch?v={id})"
            ))
        }
        "vimeo" => {
            let id = tag.arg(&["id"], 0)?;
            Some(format!("[Vimeo video {id}](https://vimeo.com/{id})"))
        }
        "gist" => {
            if let Some(url) = tag.arg(&["url"], 99) {
                return Some(format!("[Gist]({url})"));
            }
            let (user, id) = match (tag.positional.first(), tag.positional.get(1)) {
                (Some(a), Some(b)) if !liquid => (a.clone(), b.clone()),
                (Some(a), _) => match a.split_once('/') {
                    Some((u, i)) => (u.to_string(), i.to_string()),
                    None => return Some(format!("[Gist {a}](https://gist.github.com/{a})")),
                },
                _ => return None,
            };
            Some(format!(
                "[Gist {user}/{id}](https://gist.github.com/{user}/{id})"
            ))
        }
        "ref" | "relref" | "post_url" | "link" => {
            let target = tag.arg(&["path"], 0)?;
            let (target, fragment) = match target.find('#') {
                Some(i) => (&target[..i], &target[i..]),
                None => (target, ""),
            };
            index.find(target).map(|url| format!("{url}{fragment}"))
        }
        "site.baseurl" => Some(base_path.to_string()),
        "site.url" => Some(String::new()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(generator: Generator, body: &str) -> (String, Tally) {
        let mut index = Index::default();
        index
            .by_stem
            .insert("2010-07-21-hello".into(), "/2010/07/21/hello.html".into());
        index
            .by_path
            .insert("content/posts/other.md".into(), "/posts/other/".into());
        convert(generator, body, Path::new("p.md"), 5, &index, "")
    }

    #[test]
    fn hugo_shortcodes_convert_or_stay() {
        let (out, tally) = run(
            Generator::Hugo,
            "a {{< figure src=\"x.png\" alt=\"An x\" >}}\n{{< youtube abc >}}\n[o]({{< ref \"posts/other.md\" >}})\n{{< tweet 1 >}}\n{{< highlight go >}}\nfmt.Println()\n{{< /highlight >}}\n",
        );
        assert_eq!(
            out,
            "a ![An x](x.png)\n[YouTube video abc](https://www.youtube.com/watch?v=abc)\n[o](/posts/other/)\n{{< tweet 1 >}}\n```go\nfmt.Println()\n```\n"
        );
        assert_eq!(tally.found(), 5);
        assert_eq!(tally.converted(), 4);
        assert_eq!(tally.names["tweet"].kept_at, ["p.md:8"]);
    }

    #[test]
    fn liquid_tags_convert_or_stay() {
        let (out, tally) = run(
            Generator::Jekyll,
            "[h]({% post_url 2010-07-21-hello %})\n{% comment %} note {% endcomment %}{% include note.html %}\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n{{ page.title }}\n",
        );
        assert_eq!(
            out,
            "[h](/2010/07/21/hello.html)\n<!-- note -->{% include note.html %}\n```ruby\nputs 1\n```\n{{ page.title }}\n"
        );
        assert_eq!(tally.names["include"].found, 1);
        assert_eq!(tally.names["{{ page.title }}"].kept_at, ["p.md:10"]);
    }

    #[test]
    fn zola_shortcodes_are_calls() {
        let (out, tally) = run(
            Generator::Zola,
            "{{ youtube(id=\"dQw\") }} and {{ not_a_call }} {% note(kind=\"x\") %}hi{% end %}",
        );
        assert!(out.starts_with("[YouTube video dQw]"));
        assert!(out.contains("{{ not_a_call }}"));
        assert!(out.contains("{% note(kind=\"x\") %}hi{% end %}"));
        assert_eq!(tally.found(), 2);
        assert_eq!(tally.converted(), 1);
    }
}
