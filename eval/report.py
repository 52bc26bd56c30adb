"""Reports: report.json (every metric, every item), report.md (summary by type and the worst
failures), report.html (the same with bar charts, self-contained: no scripts, no network),
and ``compare`` (what improved and what regressed between two report.json files)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

# Metrics where lower is better; everything else is higher-is-better.
LOWER_IS_BETTER = ("false_refusal_rate", "_ms_p50", "_ms_p95")
# The metrics charted and tabled per type, in this order.
HEADLINE = (
    "hit@1",
    "hit@5",
    "mrr",
    "key_fact_recall",
    "token_f1",
    "citation_precision",
    "citation_recall",
    "abstention_accuracy",
    "false_refusal_rate",
    "exact_match",
    "f1",
    "no_answer_accuracy",
    "casual_consistency",
    "judge_faithfulness",
    "judge_correctness",
)


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def worst(rows: list[dict[str, Any]], n: int = 8) -> list[dict[str, Any]]:
    """Failures first: wrong abstentions, then the lowest key-fact recall / F1."""

    def badness(r: dict[str, Any]) -> tuple[float, float]:
        wrong_abstention = r["answerable"] == r["abstained"]
        score = r.get("key_fact_recall")
        if score is None:
            score = r.get("f1", 1.0)
        return (0.0 if wrong_abstention else 1.0, score if score is not None else 1.0)

    failing = [r for r in rows if badness(r) < (1.0, 1.0)]
    return sorted(failing, key=badness)[:n]


def split_table(result: dict[str, Any]) -> list[str]:
    """Dev and test side by side, with the gap: a figure tuned on dev is judged on test."""
    splits = result.get("by_split") or {}
    if not splits:
        return []
    names = list(splits)
    gap = result.get("gap", {})
    cols = [c for c in HEADLINE if any(c in s for s in splits.values())]
    lines = [
        "",
        "### By split (tune on dev, report test)",
        "",
        "| metric | " + " | ".join(f"{n} (n={splits[n]['items']})" for n in names) + " | gap |",
        "|---|" + "---|" * (len(names) + 1),
    ]
    for c in cols:
        values = " | ".join(fmt(splits[n].get(c)) for n in names)
        lines.append(f"| {c} | {values} | {fmt(gap.get(c))} |")
    return lines


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Evaluation report — {report['name']}",
        "",
        f"Run {report['started']} · {report['config_summary']}",
        f"Judge: {report.get('judge', 'not configured')}",
        "",
    ]
    for section, result in report["results"].items():
        lines += [f"## {section}", "", "| metric | value |", "|---|---|"]
        lines += [f"| {k} | {fmt(v)} |" for k, v in result["summary"].items()]
        lines += split_table(result)
        types = result["by_type"]
        cols = [c for c in HEADLINE if any(c in s for s in types.values())]
        lines += [
            "",
            "### By question type",
            "",
            "| type | n | " + " | ".join(cols) + " |",
            "|---|---|" + "---|" * len(cols),
        ]
        for kind, s in types.items():
            lines.append(
                f"| {kind} | {s['items']} | " + " | ".join(fmt(s.get(c)) for c in cols) + " |"
            )
        lines += ["", "### Worst failures", ""]
        for r in worst(result["items"]):
            lines += [
                f"**{r['id']}** ({r['type']}) — {r['question']}",
                f"- reference: {r['reference'] or '(not in the documents)'}",
                f"- answer: {r['answer'] or '(empty)'}"
                + (" *(abstained)*" if r["abstained"] else ""),
            ]
            for c in r["citations"]:
                snippet = " ".join(c["text"].split())[:200]
                lines.append(f"  - [{c['id']}] {c['source']}: {snippet}…")
            lines.append("")
    return "\n".join(lines) + "\n"


def _bars(summary: dict[str, Any], title: str) -> str:
    """A horizontal bar chart (inline SVG) of the 0..1 headline metrics."""
    items = [(k, v) for k in HEADLINE if isinstance(v := summary.get(k), float) and v <= 1.0]
    height = 24 * len(items) + 30
    parts = [
        f'<svg role="img" aria-label="{html.escape(title)}" width="560" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>',
    ]
    for i, (name, value) in enumerate(items):
        y = 30 + 24 * i
        color = "#c0392b" if any(s in name for s in LOWER_IS_BETTER) else "#2e86c1"
        parts += [
            f'<text x="0" y="{y + 14}" font-size="12">{html.escape(name)}</text>',
            f'<rect x="170" y="{y}" width="{300 * value:.1f}" height="18" fill="{color}"/>',
            f'<text x="{176 + 300 * value:.1f}" y="{y + 14}" font-size="12">{value:.2f}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def html_report(report: dict[str, Any]) -> str:
    body = [
        f"<h1>Evaluation report — {html.escape(report['name'])}</h1>",
        f"<p>Run {html.escape(report['started'])} · {html.escape(report['config_summary'])}</p>",
        f"<p>Judge: {html.escape(report.get('judge', 'not configured'))}</p>",
    ]
    for section, result in report["results"].items():
        body.append(f"<h2>{html.escape(section)}</h2>")
        body.append(_bars(result["summary"], f"{section}: all items"))
        for kind, summary in result["by_type"].items():
            body.append(_bars(summary, f"{kind} (n={summary['items']})"))
        body.append(
            "<table><tr><th>metric</th><th>value</th></tr>"
            + "".join(
                f"<tr><td>{html.escape(k)}</td><td>{fmt(v)}</td></tr>"
                for k, v in result["summary"].items()
            )
            + "</table>"
        )
        body.append("<h3>Worst failures</h3>")
        for r in worst(result["items"]):
            cites = "".join(
                f"<li>[{c['id']}] {html.escape(c['source'])}: "
                f"{html.escape(' '.join(c['text'].split())[:200])}…</li>"
                for c in r["citations"]
            )
            body.append(
                f"<div class='item'><b>{html.escape(r['id'])}</b> ({html.escape(r['type'])}) "
                f"{html.escape(r['question'])}<br>reference: "
                f"{html.escape(r['reference'] or '(not in the documents)')}<br>answer: "
                f"{html.escape(r['answer'] or '(empty)')}"
                f"{' <i>(abstained)</i>' if r['abstained'] else ''}<ul>{cites}</ul></div>"
            )
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
        ".item{margin:1em 0}svg{display:block;margin:1em 0}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Evaluation report"
        f"</title><style>{style}</style></head><body>{''.join(body)}</body></html>\n"
    )


def write_reports(report: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / "report.html"]
    paths[0].write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    paths[1].write_text(markdown(report), encoding="utf-8")
    paths[2].write_text(html_report(report), encoding="utf-8")
    return paths


def load_report(path: Path) -> dict[str, Any]:
    """A report.json, or the report.json inside a report folder."""
    path = path / "report.json" if path.is_dir() else path
    return dict(json.loads(path.read_text(encoding="utf-8")))


def compare(a: dict[str, Any], b: dict[str, Any]) -> str:
    """What changed from report A to report B, metric by metric and item by item."""
    lines = [f"Comparing A = {a['name']} ({a['started']}) with B = {b['name']} ({b['started']})"]
    for section in [s for s in b["results"] if s in a["results"]]:
        sa, sb = a["results"][section]["summary"], b["results"][section]["summary"]
        lines += ["", f"{section}:", f"  {'metric':<28}{'A':>10}{'B':>10}  change"]
        for key in [k for k in sb if k in sa]:
            va, vb = sa[key], sb[key]
            verdict = ""
            if isinstance(va, int | float) and isinstance(vb, int | float) and va != vb:
                lower = any(s in key for s in LOWER_IS_BETTER)
                better = (vb < va) if lower else (vb > va)
                verdict = "improved" if better else "REGRESSED"
            lines.append(f"  {key:<28}{fmt(va):>10}{fmt(vb):>10}  {verdict}")
        items_a = {r["id"]: r for r in a["results"][section]["items"]}
        changed = []
        for r in b["results"][section]["items"]:
            old = items_a.get(r["id"])
            if old is None:
                continue
            score_key = "key_fact_recall" if r.get("key_fact_recall") is not None else "f1"
            before, after = old.get(score_key), r.get(score_key)
            ok_before = old["abstained"] != old["answerable"]
            ok_after = r["abstained"] != r["answerable"]
            if before != after or ok_before != ok_after:
                direction = (
                    "improved"
                    if (after or 0) > (before or 0) or (ok_after and not ok_before)
                    else "REGRESSED"
                )
                changed.append(
                    f"  {r['id']}: {score_key} {fmt(before)} → {fmt(after)}, "
                    f"abstention {'ok' if ok_before else 'wrong'} → "
                    f"{'ok' if ok_after else 'wrong'}  {direction}"
                )
        lines += ["", f"  items that changed ({len(changed)}):", *changed]
    return "\n".join(lines)
