//! Coverage over time as a small inline SVG bar chart: articles per month, no JavaScript.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::i18n::{Strings, say};
use crate::text::escape_html;

/// Months shown at most; older coverage is summarised in the label.
const MAX_MONTHS: usize = 36;

/// An SVG of article counts per month for the given dates (any order), or None without dates;
/// its labels in the language of `strings`.
pub fn monthly_coverage(
    dates: impl IntoIterator<Item = jiff::civil::Date>,
    label: &str,
    strings: &Strings,
) -> Option<String> {
    let mut counts: BTreeMap<(i16, i8), usize> = BTreeMap::new();
    for date in dates {
        *counts.entry((date.year(), date.month())).or_default() += 1;
    }
    let (&first, _) = counts.first_key_value()?;
    let (&last, _) = counts.last_key_value()?;
    let mut months = Vec::new();
    let (mut year, mut month) = first;
    loop {
        months.push((
            (year, month),
            counts.get(&(year, month)).copied().unwrap_or(0),
        ));
        if (year, month) == last {
            break;
        }
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    let hidden = months.len().saturating_sub(MAX_MONTHS);
    let shown = &months[hidden..];
    let max = shown.iter().map(|(_, c)| *c).max().unwrap_or(1).max(1);

    let (bar, gap, height, label_space) = (14usize, 4usize, 60usize, 14usize);
    // Room for a year's label (four digits at 10 px, ~24 px) from the last bar on: a chart of
    // one month was 18 px wide and showed "202".
    let year_label = 28usize;
    let width = (shown.len() - 1) * (bar + gap) + bar.max(year_label);
    let total: usize = shown.iter().map(|(_, c)| c).sum();
    let format = strings.get("month_format").map_or("%b %Y", String::as_str);
    let month_name = |(y, m): (i16, i8)| {
        jiff::fmt::strtime::format(format, jiff::civil::date(y, m, 1)).unwrap_or_default()
    };
    let summary = say(
        strings,
        "chart_summary",
        &[
            ("name", label),
            ("stories", &crate::i18n::stories(strings, total)),
            ("from", &month_name(shown[0].0)),
            ("to", &month_name(shown[shown.len() - 1].0)),
        ],
    );
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"coverage-chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape_html(&summary),
        height + label_space,
        height + label_space,
        escape_html(&summary),
    );
    for (i, &((y, m), count)) in shown.iter().enumerate() {
        let h = if count == 0 {
            0
        } else {
            (count * height).div_ceil(max).max(2)
        };
        let x = i * (bar + gap);
        let _ = write!(
            svg,
            "<rect class=\"coverage-bar\" x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"><title>{}</title></rect>",
            height - h,
            escape_html(&say(
                strings,
                "chart_bar",
                &[
                    ("month", &month_name((y, m))),
                    ("count", &count.to_string())
                ]
            )),
        );
        if m == 1 || i == 0 {
            let _ = write!(
                svg,
                "<text class=\"coverage-label\" x=\"{x}\" y=\"{}\" font-size=\"10\">{y}</text>",
                height + label_space - 2
            );
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn one_bar_per_month_including_empty_ones() {
        let dates = [date(2023, 8, 15), date(2023, 8, 31), date(2023, 10, 1)];
        let en = crate::i18n::resolve("en", "en", None);
        let svg = monthly_coverage(dates, "Alibaba", &en).unwrap();
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("Sep 2023: 0"));
        assert!(svg.contains("Aug 2023: 2"));
        assert!(svg.contains("aria-label=\"Alibaba: 3 stories from Aug 2023 to Oct 2023\""));
        assert!(monthly_coverage([], "x", &en).is_none());
        // One month: wide enough for its year's label, not one bar's 14 px.
        let one = monthly_coverage([date(2023, 9, 15)], "Alibaba", &en).unwrap();
        assert!(
            one.contains("width=\"28\"") && one.contains(">2023</text>"),
            "{one}"
        );
        let zh = crate::i18n::resolve("zh", "zh-Hans", None);
        let svg = monthly_coverage(dates, "阿里巴巴", &zh).unwrap();
        assert!(svg.contains("2023年9月：0"), "{svg}");
        assert!(
            svg.contains("aria-label=\"阿里巴巴：2023年8月至2023年10月，3 篇报道\""),
            "{svg}"
        );
    }

    #[test]
    fn long_coverage_keeps_the_latest_months() {
        let dates = (0..60).map(|i| date(2019 + (i / 12) as i16, (i % 12 + 1) as i8, 1));
        let svg = monthly_coverage(dates, "<b>", &crate::i18n::resolve("en", "en", None)).unwrap();
        assert_eq!(svg.matches("<rect").count(), MAX_MONTHS);
        assert!(!svg.contains("<b>"));
    }
}
