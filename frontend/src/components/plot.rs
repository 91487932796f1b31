//! Demo results drawn as accessible SVG: a line chart with axes, ticks,
//! labels, a legend, optional whiskers (a range around each point), and a
//! text alternative listing every value; and a plain results table.

use leptos::prelude::*;
use paperclub_core::views::{Plot, ResultTable};

use crate::components::table_scroll::TableScroll;

/// Colours that stay apart for the common kinds of colour blindness.
const COLOURS: [&str; 6] = ["#b3261e", "#1a56b8", "#1e6b34", "#7a4cc2", "#b06000", "#00796b"];
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;

/// Round tick values covering `lo..hi`: steps of 1, 2 or 5 times a power of ten.
fn ticks(lo: f64, hi: f64, wanted: usize) -> Vec<f64> {
    let raw = (hi - lo) / wanted.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

fn label(value: f64) -> String {
    if value == 0.0 || (value.abs() >= 0.01 && value.abs() < 10_000.0) {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        format!("{value:.1e}")
    }
}

#[component]
pub fn PlotView(plot: Plot, id: String) -> impl IntoView {
    let points = || plot.series.iter().flat_map(|s| s.points.iter());
    let finite = |v: &f64| v.is_finite();
    let xs: Vec<f64> = points().map(|p| p.x).filter(finite).collect();
    let ys: Vec<f64> = points()
        .flat_map(|p| [Some(p.y), p.range.map(|r| r.0), p.range.map(|r| r.1)])
        .flatten()
        .filter(finite)
        .collect();
    let span = |values: &[f64]| {
        let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if lo < hi {
            let pad = (hi - lo) * 0.05;
            (lo - pad, hi + pad)
        } else {
            (lo - 1.0, hi + 1.0)
        }
    };
    let (mut x_lo, mut x_hi) = span(&xs);
    let (mut y_lo, mut y_hi) = span(&ys);
    let (width, height) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    if plot.scatter {
        // One unit is as long across as up: widen the shorter span about its middle.
        let unit = ((x_hi - x_lo) / width).max((y_hi - y_lo) / height);
        let (x_mid, y_mid) = ((x_lo + x_hi) / 2.0, (y_lo + y_hi) / 2.0);
        (x_lo, x_hi) = (x_mid - unit * width / 2.0, x_mid + unit * width / 2.0);
        (y_lo, y_hi) = (y_mid - unit * height / 2.0, y_mid + unit * height / 2.0);
    }
    let x = move |v: f64| LEFT + width * (v - x_lo) / (x_hi - x_lo);
    let y = move |v: f64| HEIGHT - BOTTOM - height * (v - y_lo) / (y_hi - y_lo);
    let description = plot
        .series
        .iter()
        .map(|s| {
            let values = s
                .points
                .iter()
                .map(|p| match p.range {
                    Some((lo, hi)) => format!("{}: {} ({}…{})", label(p.x), label(p.y), label(lo), label(hi)),
                    None => format!("{}: {}", label(p.x), label(p.y)),
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("{}: {values}", s.name)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    let x_ticks = ticks(x_lo, x_hi, 6);
    let y_ticks = ticks(y_lo, y_hi, 5);
    let legend = plot.series.len() > 1;
    view! {
        <figure class="plot">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby=labelled_by
                width="100%"
            >
                <title id=title_id>{plot.title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                <g class="axes" stroke="currentColor" stroke-width="1">
                    <line x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH - RIGHT y2=HEIGHT - BOTTOM/>
                    <line x1=LEFT y1=TOP x2=LEFT y2=HEIGHT - BOTTOM/>
                </g>
                {x_ticks.into_iter().map(|v| view! {
                    <line x1=x(v) y1=HEIGHT - BOTTOM x2=x(v) y2=HEIGHT - BOTTOM + 4.0 stroke="currentColor"/>
                    <text x=x(v) y=HEIGHT - BOTTOM + 16.0 font-size="11" fill="currentColor" text-anchor="middle">{label(v)}</text>
                }).collect_view()}
                {y_ticks.into_iter().map(|v| view! {
                    <line x1=LEFT - 4.0 y1=y(v) x2=WIDTH - RIGHT y2=y(v) stroke="currentColor" stroke-opacity="0.12"/>
                    <text x=LEFT - 6.0 y=y(v) + 4.0 font-size="11" fill="currentColor" text-anchor="end">{label(v)}</text>
                }).collect_view()}
                <text x=(LEFT + WIDTH - RIGHT) / 2.0 y=HEIGHT - 6.0 font-size="12" fill="currentColor" text-anchor="middle">{plot.x_label.clone()}</text>
                <text x=14.0 y=(TOP + HEIGHT - BOTTOM) / 2.0 font-size="12" fill="currentColor" text-anchor="middle"
                    transform=format!("rotate(-90 14 {})", (TOP + HEIGHT - BOTTOM) / 2.0)>{plot.y_label.clone()}</text>
                {plot.series.iter().enumerate().map(|(i, series)| {
                    let colour = COLOURS[i % COLOURS.len()];
                    let line = series.points.iter().filter(|p| p.y.is_finite()).map(|p| format!("{:.1},{:.1}", x(p.x), y(p.y))).collect::<Vec<_>>().join(" ");
                    view! {
                        <g class="series" data-series=series.name.clone()>
                            {(!plot.scatter).then(|| view! { <polyline points=line fill="none" stroke=colour stroke-width="2"/> })}
                            {series.points.iter().map(|p| {
                                let whisker = p.range.map(|(lo, hi)| view! {
                                    <line x1=x(p.x) y1=y(lo) x2=x(p.x) y2=y(hi) stroke=colour stroke-width="1.5"/>
                                });
                                view! { {whisker} <circle cx=x(p.x) cy=y(p.y) r="3" fill=colour/> }
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                {plot.title.clone()}
                {legend.then(|| view! {
                    <ul class="legend">
                        {plot.series.iter().enumerate().map(|(i, s)| view! {
                            <li><span class="swatch" style=format!("background:{}", COLOURS[i % COLOURS.len()])></span>{s.name.clone()}</li>
                        }).collect_view()}
                    </ul>
                })}
            </figcaption>
        </figure>
    }
}

#[component]
pub fn ResultTableView(table: ResultTable) -> impl IntoView {
    view! {
        <TableScroll label=table.caption.clone()>
            <table class="dashboard results">
                <caption>{table.caption.clone()}</caption>
                <thead><tr>{table.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {table.rows.iter().map(|row| view! {
                        <tr>
                            {row.iter().enumerate().map(|(k, cell)| if k == 0 {
                                view! { <th scope="row">{cell.clone()}</th> }.into_any()
                            } else {
                                view! { <td>{cell.clone()}</td> }.into_any()
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!table.note.is_empty()).then(|| view! { <p class="field-help">{table.note.clone()}</p> })}
        </TableScroll>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_inside_the_span() {
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let t = ticks(-0.37, 1.2, 5);
        assert!(t.iter().all(|v| (-0.37..=1.2).contains(v)));
        assert_eq!(label(0.25), "0.25");
        assert_eq!(label(3.0), "3");
        assert_eq!(label(0.00012), "1.2e-4");
    }
}
