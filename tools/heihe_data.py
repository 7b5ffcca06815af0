#!/usr/bin/env python3
"""Generate and verify the Heihe 2003 demo data (config/heihe-2003/*.csv).

The Heihe City labour and social security bureau's work report for the end
of October 2003 gives city totals only. This script splits them across the
City level and the six counties and across January-October 2003, writes one
CSV per collector in the import format of DESIGN §6, and then re-reads the
files the way the aggregator would (set/add and restatements applied in
file order) and checks every figure of the report.

The split is illustrative; only the city totals (and the City-level figures)
come from the report. So are the report dates in the reported column: each
county files each month's report 2-9 days after the month ends, except Sunwu,
whose October report came on 2003-11-14, after the 10 days the catalogue
allows; restatements and late entries carry their own, later dates.
Generation is deterministic (fixed seeds, standard library only), so the
committed files can be reproduced byte for byte.

    python3 tools/heihe_data.py            write the CSVs, then verify them
    python3 tools/heihe_data.py --check    verify only, and check that the
                                           files are what the generator makes
    python3 tools/heihe_data.py --table    also print the per-county table (md)

Exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import csv
import datetime
import io
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CATALOGUE = os.path.join(ROOT, "config", "heihe-2003.zpl")
DATA_DIR = os.path.join(ROOT, "config", "heihe-2003")

SEED = 2003
DATE_SEED = 2004          # the report dates' own generator: the figures stay put
YEAR = 2003
MONTHS = ["%d-%02d" % (YEAR, m) for m in range(1, 11)]   # 2003-01 .. 2003-10
ELAPSED = 10 / 12                                          # end of October

#   Sources (collectors) in catalogue order, each reporting one region.
SOURCES = ["direct", "aihui", "beian", "wudalianchi", "nenjiang", "xunke", "sunwu"]
REGION = {s: "heihe." + s for s in SOURCES}
LABEL = {
    "direct": ("City level", "市本级"),
    "aihui": ("Aihui District", "爱辉区"),
    "beian": ("Bei'an City", "北安市"),
    "wudalianchi": ("Wudalianchi City", "五大连池市"),
    "nenjiang": ("Nenjiang County", "嫩江县"),
    "xunke": ("Xunke County", "逊克县"),
    "sunwu": ("Sunwu County", "孙吴县"),
}

CHANNELS = [
    "reemployed_private", "reemployed_tertiary", "reemployed_public_welfare",
    "reemployed_labour_export", "reemployed_diversion", "reemployed_flexible",
    "reemployed_farming", "reemployed_new_enterprise",
]
#   Row order within a month: catalogue order.
INDICATORS = (["employed_new", "reemployed"] + CHANNELS + [
    "laid_off_registered", "new_jobs", "registered_unemployed", "urban_employed",
    "certificates_issued", "certificates_due", "training_courses", "trained",
    "reemployed_after_training", "households_assisted", "households_resettled",
])

# ---------------------------------------------------------------------------
#   The report: city totals through 2003-10 (flows: January-October summed;
#   stocks and cumulative figures: the October value). Used only to check.
# ---------------------------------------------------------------------------
REPORT_CITY = {
    "employed_new": 11800,
    "reemployed": 30161,
    "reemployed_private": 11775,
    "reemployed_tertiary": 6536,
    "reemployed_public_welfare": 740,
    "reemployed_labour_export": 1900,
    "reemployed_diversion": 1142,
    "reemployed_flexible": 6431,
    "reemployed_farming": 863,
    "reemployed_new_enterprise": 774,
    "laid_off_registered": 73563,
    "new_jobs": 11207,
    "registered_unemployed": 8880,
    "urban_employed": 291120,
    "certificates_issued": 59469,
    "certificates_due": 66077,
    "training_courses": 208,
    "trained": 9351,
    "reemployed_after_training": 5700,
    "households_assisted": 773,
    "households_resettled": 748,
}
REPORT_CITY_RATES = {           # shown to the decimals of the catalogue
    "employed_new.completion": "268.0",
    "reemployed.completion": "249.0",
    "new_jobs.completion": "67.9",
    "reemployment_rate": "41.0",
    "unemployment_rate": "2.96",
    "certificate_rate": "90.0",
}
REPORT_DIRECT = {
    "employed_new": 1484,
    "reemployed": 2620,
    "laid_off_registered": 5458,
    "new_jobs": 1120,
    "registered_unemployed": 1240,
    "urban_employed": 48760,
}
REPORT_DIRECT_RATES = {
    "employed_new.completion": "106.0",
    "reemployed.completion": "115.0",
    "new_jobs.completion": "112.0",
    "reemployment_rate": "48.0",
    "unemployment_rate": "2.48",
}

# ---------------------------------------------------------------------------
#   The illustrative split: each region's year-to-date figure through
#   2003-10 (flows) or its October value (stocks, cumulative figures).
#   Columns sum to the report's city totals; the direct column is the
#   report's City-level figures where it gives them.
# ---------------------------------------------------------------------------
#                             direct  aihui  beian  wudal. nenj.  xunke  sunwu
SPLIT = {
    "employed_new":              [1484,  2210,  2530,  1640,  1980,   920,  1036],
    "reemployed":                [2620,  6120,  7350,  4380,  5230,  2100,  2361],
    "laid_off_registered":       [5458, 14300, 19100, 12400, 12305,  4700,  5300],
    "new_jobs":                  [1120,  2280,  2650,  1590,  1920,   760,   887],
    "registered_unemployed":     [1240,  1690,  2010,  1280,  1450,   560,   650],
    "urban_employed":           [48760, 52400, 63800, 38600, 44100, 19760, 23700],
    "certificates_issued":       [4840, 12150, 15200,  9650, 10179,  3620,  3830],
    "certificates_due":          [5200, 13400, 17100, 11000, 11177,  4000,  4200],
    "training_courses":          [  40,    38,    42,    28,    32,    13,    15],
    "trained":                   [1750,  1710,  1980,  1290,  1430,   560,   631],
    "reemployed_after_training": [1080,  1040,  1200,   770,   880,   340,   390],
    "households_assisted":       [ 120,   150,   175,   108,   115,    50,    55],
    "households_resettled":      [ 118,   146,   168,   104,   110,    49,    53],
}
#   City totals of the re-employment channels (the report's); the split of
#   each channel across regions follows from these propensities.
CHANNEL_CITY = {c: REPORT_CITY[c] for c in CHANNELS}
CHANNEL_PROPENSITY = {
    #              private tert.  welf.  export divers. flex.  farm.  new
    "direct":      [1.00,  1.30,  1.80,  0.40,  1.60,  0.90,  0.15,  1.20],
    "aihui":       [1.00,  1.20,  1.00,  1.30,  0.90,  1.00,  0.60,  1.10],
    "beian":       [1.05,  1.00,  1.00,  0.90,  1.30,  1.00,  0.80,  1.00],
    "wudalianchi": [0.95,  1.10,  0.90,  1.00,  0.80,  1.00,  1.30,  0.90],
    "nenjiang":    [1.00,  0.85,  0.80,  1.20,  0.80,  1.05,  1.80,  0.90],
    "xunke":       [0.95,  0.90,  0.90,  1.10,  0.60,  1.10,  1.60,  0.80],
    "sunwu":       [0.95,  0.90,  1.00,  1.10,  0.70,  1.10,  1.50,  0.80],
}

#   Seasonal weights, January..October (Heilongjiang: little outdoor work
#   before April; labour export peaks after the Spring Festival).
SEASON = [0.050, 0.052, 0.080, 0.110, 0.128, 0.130, 0.120, 0.118, 0.112, 0.100]
CHANNEL_SEASON = {
    "reemployed_public_welfare": [1.3, 1.2, 1.1, 1.0, 1.0, 1.0, 0.9, 0.9, 0.9, 0.9],
    "reemployed_labour_export":  [0.6, 1.4, 1.8, 1.4, 1.0, 0.8, 0.8, 0.8, 0.8, 0.7],
    "reemployed_farming":        [0.3, 0.3, 0.8, 1.8, 1.8, 1.5, 1.0, 0.8, 0.8, 0.6],
    "reemployed_tertiary":       [1.1, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
}
COURSE_SEASON = [0.08, 0.07, 0.12, 0.12, 0.11, 0.09, 0.08, 0.09, 0.12, 0.12]

#   When each month's report was filed: 2-9 days after the month ends, except
#   these (the catalogue's on_time_days is 10: 2003-11-10 is the last day on
#   time for October).
REPORT_DAYS = (2, 9)
REPORT_DATE_EXCEPTIONS = {("sunwu", "2003-10"): "2003-11-14"}

#   How each file looks: thousands separators, BOM, CRLF, op values written
#   out (the other files leave the op column empty).
STYLE = {
    "direct":      dict(thousands=True),
    "aihui":       dict(bom=True),
    "beian":       dict(thousands=True, crlf=True),
    "wudalianchi": dict(),
    "nenjiang":    dict(thousands=True),
    "xunke":       dict(),
    "sunwu":       dict(op=True),
}


# ---------------------------------------------------------------------------
#   Integer splitting
# ---------------------------------------------------------------------------
def alloc(total, weights, caps=None):
    """Split the integer total in proportion to weights (largest remainder,
    ties to the lower index), never giving an item more than its cap."""
    n = len(weights)
    caps = caps if caps is not None else [total] * n
    assert total >= 0 and sum(caps) >= total, (total, caps)
    wsum = sum(w for w, c in zip(weights, caps) if c > 0)
    if wsum <= 0:
        weights, wsum = [float(c) for c in caps], float(sum(caps))
    ideal = [total * w / wsum if c > 0 else 0.0 for w, c in zip(weights, caps)]
    out = [min(int(x), c) for x, c in zip(ideal, caps)]
    left = total - sum(out)
    while left > 0:
        order = sorted((i for i in range(n) if out[i] < caps[i]),
                       key=lambda i: (-(ideal[i] - out[i]), i))
        for i in order[:left]:
            out[i] += 1
        left = total - sum(out)
    return out


def ipf(seed, row_sums, col_sums, rounds=500):
    """Fit a positive matrix to row and column sums (iterative proportional
    fitting); both margins must have the same total."""
    m = [row[:] for row in seed]
    for _ in range(rounds):
        for i, row in enumerate(m):
            s = sum(row)
            m[i] = [x * row_sums[i] / s if s else 0.0 for x in row]
        for j in range(len(col_sums)):
            s = sum(row[j] for row in m)
            for row in m:
                row[j] = row[j] * col_sums[j] / s if s else 0.0
    return m


def round_matrix(fitted, row_sums, col_sums):
    """Integer matrix with exactly these margins, close to fitted."""
    remaining = list(col_sums)
    out = []
    for i, total in enumerate(row_sums):
        row = alloc(total, fitted[i], remaining)
        remaining = [r - x for r, x in zip(remaining, row)]
        out.append(row)
    assert all(r == 0 for r in remaining)
    return out


# ---------------------------------------------------------------------------
#   Monthly series
# ---------------------------------------------------------------------------
def jittered(rng, weights, spread):
    return [w * (1 + rng.uniform(-spread, spread)) for w in weights]


def flow_series(rng, total, weights, spread=0.12):
    return alloc(total, jittered(rng, weights, spread))


def cumulative_series(rng, final, january_share, spread=0.15):
    """Year-to-date values, non-decreasing, ending at final in October."""
    january = round(final * january_share * (1 + rng.uniform(-0.03, 0.03)))
    steps = flow_series(rng, final - january, SEASON[1:], spread)
    out, acc = [january], january
    for s in steps:
        acc += s
        out.append(acc)
    return out


def stock_series(rng, final, trend, noise, ceiling=None):
    """Month-end stocks drifting towards final (October) with small noise;
    trend is the January offset (-0.04: 4% lower in January)."""
    out = []
    for m in range(9):
        f = 1 + trend * (9 - m) / 9 + rng.uniform(-noise, noise)
        if ceiling is not None:
            f = min(f, ceiling)
        out.append(round(final * f))
    out.append(final)
    return out


def transpose_digits(v):
    """A typist's error: swap the hundreds and tens digits (or tens and units)."""
    s = str(v)
    for i in (len(s) - 3, len(s) - 2):
        if i >= 0 and s[i] != s[i + 1]:
            wrong = int(s[:i] + s[i + 1] + s[i] + s[i + 2:])
            if wrong != v:
                return wrong
    return v - 100


# ---------------------------------------------------------------------------
#   Generation
# ---------------------------------------------------------------------------
def make_series():
    """{source: {indicator: [value per month]}} -- the true values."""
    rng = random.Random(SEED)
    n = len(SOURCES)
    col = {ind: dict(zip(SOURCES, vals)) for ind, vals in SPLIT.items()}

    # Channels by region: fit region x channel to both margins.
    city_share = [CHANNEL_CITY[c] / REPORT_CITY["reemployed"] for c in CHANNELS]
    seed = [[col["reemployed"][s] * city_share[j] * CHANNEL_PROPENSITY[s][j]
             for j in range(len(CHANNELS))] for s in SOURCES]
    rows = [col["reemployed"][s] for s in SOURCES]
    cols = [CHANNEL_CITY[c] for c in CHANNELS]
    by_region = round_matrix(ipf(seed, rows, cols), rows, cols)

    series = {}
    for si, s in enumerate(SOURCES):
        v = {ind: col[ind][s] for ind in SPLIT}
        out = {}
        out["employed_new"] = flow_series(rng, v["employed_new"], SEASON)
        out["reemployed"] = flow_series(rng, v["reemployed"], SEASON)
        out["new_jobs"] = flow_series(rng, v["new_jobs"], SEASON)

        # Channels by month: fit month x channel to the monthly re-employed
        # and the region's channel totals, with channel seasons.
        totals = by_region[si]
        seed = [[out["reemployed"][m] * totals[j]
                 * CHANNEL_SEASON.get(c, [1.0] * 10)[m]
                 * (1 + rng.uniform(-0.10, 0.10))
                 for j, c in enumerate(CHANNELS)] for m in range(10)]
        grid = round_matrix(ipf(seed, out["reemployed"], totals),
                            out["reemployed"], totals)
        for j, c in enumerate(CHANNELS):
            out[c] = [grid[m][j] for m in range(10)]

        out["laid_off_registered"] = cumulative_series(rng, v["laid_off_registered"], 0.58)
        out["registered_unemployed"] = stock_series(
            rng, v["registered_unemployed"], -0.045, 0.008, ceiling=0.997)
        out["urban_employed"] = stock_series(rng, v["urban_employed"], -0.018, 0.003)
        out["certificates_issued"] = cumulative_series(rng, v["certificates_issued"], 0.72)
        out["certificates_due"] = stock_series(rng, v["certificates_due"], -0.06, 0.01)

        courses = flow_series(rng, v["training_courses"], COURSE_SEASON, 0.25)
        trained = alloc(v["trained"], jittered(rng, courses, 0.15))
        lagged = [0.45 * trained[0] + 0.55 * v["trained"] / 12] + \
                 [0.45 * trained[m] + 0.55 * trained[m - 1] for m in range(1, 10)]
        out["training_courses"] = courses
        out["trained"] = trained
        out["reemployed_after_training"] = alloc(v["reemployed_after_training"], lagged)

        resettled = cumulative_series(rng, v["households_resettled"], 0.25, 0.3)
        assisted = stock_series(rng, v["households_assisted"], -0.20, 0.02)
        out["households_resettled"] = resettled
        out["households_assisted"] = [max(a, r) for a, r in zip(assisted, resettled)]
        series[s] = out
    return series


def fmt(value, thousands):
    return "{:,}".format(value) if thousands and value >= 1000 else str(value)


def month_end(period):
    year, month = map(int, period.split("-"))
    return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)


def make_report_dates():
    """{(source, period): "YYYY-MM-DD"} -- when each monthly report was filed."""
    rng = random.Random(DATE_SEED)
    dates = {}
    for s in SOURCES:
        for p in MONTHS:
            offset = rng.randint(*REPORT_DAYS)
            dates[(s, p)] = (month_end(p) + datetime.timedelta(days=offset)).isoformat()
    dates.update(REPORT_DATE_EXCEPTIONS)
    return dates


def render(source, values, dates):
    """The bytes of one CSV file: reports month by month, then late rows."""
    style = STYLE[source]
    region = REGION[source]
    en, zh = LABEL[source]
    thousands = style.get("thousands", False)
    use_op = style.get("op", False)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if style.get("crlf") else "\n")

    def comment(text):
        w.writerow(["# " + text])

    def row(ind, period, value, reported, op="set"):
        written = op if use_op or op != "set" else ""
        w.writerow([region, ind, period, fmt(value, thousands), written, reported])

    comment("Heihe City labour and social security bureau - %s (%s)"
            " - monthly reports January to October 2003" % (en, zh))
    comment("ILLUSTRATIVE: the split across counties and months is made up;"
            " only the city totals come from the report")
    comment("(Heihe City work report at the end of October 2003)."
            " Generated by tools/heihe_data.py - see config/README.md")
    w.writerow(["region", "indicator", "period", "value", "op", "reported"])

    reported = {ind: list(vals) for ind, vals in values.items()}
    late = []          # (comment, indicator, period, value, op, date filed)

    if source == "nenjiang":                    # a flow restated months later
        m = MONTHS.index("2003-06")
        true = values["employed_new"][m]
        reported["employed_new"][m] = true + 39
        late.append(("Restatement 2003-11-04: 2003-06 employed_new was %d;"
                     " 39 persons were counted twice (transfers between"
                     " townships). Corrected value:" % (true + 39),
                     "employed_new", "2003-06", true, "set", "2003-11-04"))
    if source == "wudalianchi":                 # a cumulative figure mistyped
        m = MONTHS.index("2003-08")
        true = values["laid_off_registered"][m]
        wrong = transpose_digits(true)
        reported["laid_off_registered"][m] = wrong
        late.append(("Restatement 2003-10-21: 2003-08 laid_off_registered was"
                     " keyed as %d (digits transposed). Corrected value:" % wrong,
                     "laid_off_registered", "2003-08", true, "set", "2003-10-21"))
    if source == "beian":                       # a stock corrected
        m = MONTHS.index("2003-10")
        true = values["registered_unemployed"][m]
        reported["registered_unemployed"][m] = true + 36
        late.append(("Restatement 2003-11-18: 2003-10 registered_unemployed was"
                     " %d; 36 persons who had found work were still on the"
                     " register. Corrected value:" % (true + 36),
                     "registered_unemployed", "2003-10", true, "set", "2003-11-18"))
    if source == "sunwu":                       # events added after the report
        m = MONTHS.index("2003-10")
        assert values["training_courses"][m] >= 1 and values["trained"][m] >= 28
        reported["training_courses"][m] -= 1
        reported["trained"][m] -= 28
        late.append(("Late entry 2003-11-20: one October training course"
                     " (28 persons) registered after the monthly report"
                     " - added as events",
                     "training_courses", "2003-10", 1, "add", "2003-11-20"))
        late.append((None, "trained", "2003-10", 28, "add", "2003-11-20"))

    for m, period in enumerate(MONTHS):
        for ind in INDICATORS:
            row(ind, period, reported[ind][m], dates[(source, period)])
    for text, ind, period, value, op, filed in late:
        if text:
            comment(text)
        row(ind, period, value, filed, op)

    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if style.get("bom") else data


def generate():
    series = make_series()
    dates = make_report_dates()
    return {s: render(s, series[s], dates) for s in SOURCES}


# ---------------------------------------------------------------------------
#   Reading: the catalogue (a small ZPL reader) and the CSVs
# ---------------------------------------------------------------------------
def read_zpl(path):
    """{name: (value, children)} tree of a ZPL file; enough for this check."""
    root = {}
    stack = [(-1, root)]
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = line.rstrip("\n")
            body = text.lstrip(" ")
            if not body or body.startswith("#"):
                continue
            depth = (len(text) - len(body)) // 4
            m = re.match(r'([^\s=]+)\s*(?:=\s*("[^"]*"|\'[^\']*\'|[^\s#]+))?', body)
            name, value = m.group(1), m.group(2)
            if value and value[0] in "\"'":
                value = value[1:-1]
            while stack[-1][0] >= depth:
                stack.pop()
            node = (value, {})
            stack[-1][1][name] = node
            stack.append((depth, node[1]))
    return root


def read_csv(path):
    """Rows of a data file as dicts, in file order, plus what it looks like."""
    raw = open(path, "rb").read()
    info = {"bom": raw.startswith(b"\xef\xbb\xbf"), "crlf": b"\r\n" in raw,
            "thousands": False, "problems": []}
    text = raw.decode("utf-8-sig")
    rows, header = [], None
    for lineno, fields in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if fields[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = fields
            if header != ["region", "indicator", "period", "value", "op", "reported"]:
                info["problems"].append("line %d: bad header %r" % (lineno, header))
            continue
        if len(fields) != len(header):
            info["problems"].append("line %d: %d fields, header has %d"
                                    % (lineno, len(fields), len(header)))
            continue
        rec = dict(zip(header, fields))
        v = rec["value"].strip()
        if re.fullmatch(r"\d{1,3}(,\d{3})+", v):
            info["thousands"] = True
            v = v.replace(",", "")
        if not re.fullmatch(r"\d+", v):
            info["problems"].append("line %d: bad value %r" % (lineno, rec["value"]))
            continue
        rec["value"] = int(v)
        rec["op"] = (rec.get("op") or "set").strip()
        if rec["op"] not in ("set", "add"):
            info["problems"].append("line %d: bad op %r" % (lineno, rec["op"]))
            continue
        try:
            rec["reported"] = datetime.date.fromisoformat(rec["reported"].strip())
        except ValueError:
            info["problems"].append("line %d: bad report date %r" % (lineno, rec["reported"]))
            continue
        rec["line"] = lineno
        rows.append(rec)
    return rows, info


# ---------------------------------------------------------------------------
#   Verification
# ---------------------------------------------------------------------------
class Checker:
    def __init__(self):
        self.failures = 0

    def check(self, ok, what):
        if not ok:
            self.failures += 1
            print("FAIL  " + what)
        return ok

    def equal(self, label, got, want):
        ok = got == want
        print("%-4s  %-44s %12s   report %s" % ("ok" if ok else "FAIL", label, got, want))
        if not ok:
            self.failures += 1


def pct(num, den, decimals):
    return "%.*f" % (decimals, 100.0 * num / den) if den else "n/a"


def verify(data_dir, verbose_table=False):
    ck = Checker()
    cat = read_zpl(CATALOGUE)
    indicators = cat["indicators"][1]
    measures = cat["measures"][1]
    time_of = {i: node[1]["time"][0] for i, node in indicators.items()}
    targets = {r: {i: int(v[0]) for i, v in node[1].items()}
               for r, node in cat["targets"][1].items()}
    limits = {r: {i: float(v[0]) for i, v in node[1].items()}
              for r, node in cat["limits"][1].items()}
    sources = {s: node[1]["regions"][0].split() for s, node in cat["sources"][1].items()}
    zh = cat["names"][1]["zh"][1]
    on_time_days = int(cat["catalogue"][1]["on_time_days"][0])

    print("Catalogue %s" % os.path.relpath(CATALOGUE, ROOT))
    ck.check(list(indicators) == INDICATORS, "catalogue indicators differ from the data's")
    ck.check(sources == {s: [REGION[s]] for s in SOURCES}, "sources differ: %r" % sources)
    children = list(cat["regions"][1]["heihe"][1])
    ck.check(children == [REGION[s] for s in SOURCES], "regions differ: %r" % children)
    for key in ["heihe"] + children + list(indicators) + list(measures):
        ck.check(key in zh, "no Chinese name for %s" % key)
    for ind in ("employed_new", "reemployed", "new_jobs"):
        ck.check(sum(targets[r][ind] for r in children) == targets["heihe"][ind],
                 "county targets of %s do not sum to the city's" % ind)
    print("      %d indicators, %d measures, %d regions, %d sources; county targets sum"
          " to the city's" % (len(indicators), len(measures), len(children) + 1, len(sources)))

    # Apply every file in file order: set replaces, add adds. A row for a
    # figure not seen before is part of its month's report; any later row
    # (restatement, late entry) comes after that report.
    state, restated, adds, looks = {}, [], 0, {}
    report_dates, later_rows = {}, []
    print("\nData %s" % os.path.relpath(data_dir, ROOT))
    for s in SOURCES:
        path = os.path.join(data_dir, s + ".csv")
        if not ck.check(os.path.exists(path), "missing %s" % path):
            continue
        rows, info = read_csv(path)
        looks[s] = info
        for p in info["problems"]:
            ck.check(False, "%s.csv %s" % (s, p))
        first = open(path, "rb").read().decode("utf-8-sig").lstrip()
        ck.check(first.startswith("#") and "illustrative" in first.lower(),
                 "%s.csv does not open with the illustrative-data comment" % s)
        n_restated = n_add = 0
        for r in rows:
            key = (r["region"], r["indicator"], r["period"])
            month = (r["region"], r["period"])
            if r["period"] in MONTHS:
                ck.check(r["reported"] >= month_end(r["period"]).replace(day=1),
                         "%s.csv:%d report date %s before its month"
                         % (s, r["line"], r["reported"]))
            ck.check(r["reported"] <= datetime.date(YEAR, 12, 31),
                     "%s.csv:%d report date %s after %d" % (s, r["line"], r["reported"], YEAR))
            if key in state:
                later_rows.append((s, r["line"], month, r["reported"]))
            else:
                report_dates.setdefault(month, set()).add(r["reported"])
            ck.check(r["region"] in sources.get(s, []),
                     "%s.csv:%d region %s not allowed for source %s"
                     % (s, r["line"], r["region"], s))
            ck.check(r["indicator"] in indicators,
                     "%s.csv:%d unknown indicator %s" % (s, r["line"], r["indicator"]))
            ck.check(r["period"] in MONTHS,
                     "%s.csv:%d period %s" % (s, r["line"], r["period"]))
            if r["op"] == "add":
                state[key] = state.get(key, 0) + r["value"]
                adds += 1
                n_add += 1
            else:
                if key in state:
                    ck.check(state[key] != r["value"],
                             "%s.csv:%d restates %s with the same value" % (s, r["line"], key))
                    restated.append((s, key, state[key], r["value"]))
                    n_restated += 1
                state[key] = r["value"]
        flags = [k for k in ("bom", "crlf", "thousands") if info[k]]
        print("      %-12s %3d rows  %d restated  %d added  %s"
              % (s + ".csv", len(rows), n_restated, n_add, " ".join(flags)))

    # Every region reports every indicator for every month.
    for s in SOURCES:
        for ind in INDICATORS:
            for p in MONTHS:
                ck.check((REGION[s], ind, p) in state, "no value for %s %s %s"
                         % (REGION[s], ind, p))
    if ck.failures:
        return ck.failures

    # When the reports came: one date per monthly report, 2-9 days after the
    # month ends except the planned late one; later rows after the report;
    # on time until on_time_days after the month ends.
    print("\nReport dates (on time until %d days after the month ends)" % on_time_days)
    first = {}
    for s in SOURCES:
        for p in MONTHS:
            month = (REGION[s], p)
            dates = sorted(report_dates.get(month, []))
            ck.check(len(dates) == 1, "%s %s: the month's report has %d dates: %s"
                     % (REGION[s], p, len(dates), dates))
            first[month] = dates[0]
            want = REPORT_DATE_EXCEPTIONS.get((s, p))
            if want:
                ck.check(dates[0].isoformat() == want, "%s %s: reported %s, planned %s"
                         % (REGION[s], p, dates[0], want))
            else:
                days = (dates[0] - month_end(p)).days
                ck.check(REPORT_DAYS[0] <= days <= REPORT_DAYS[1],
                         "%s %s: reported %d days after the month ended" % (REGION[s], p, days))
    for s, line, month, reported in later_rows:
        ck.check(reported > first[month], "%s.csv:%d: dated %s, not after %s's report of %s"
                 % (s, line, reported, month[0], first[month]))
    for p in MONTHS:
        deadline = month_end(p) + datetime.timedelta(days=on_time_days)
        late = [(REGION[s], first[(REGION[s], p)]) for s in SOURCES
                if first[(REGION[s], p)] > deadline]
        print("      %s: %d of %d on time (deadline %s)%s"
              % (p, len(SOURCES) - len(late), len(SOURCES), deadline,
                 "; late: " + ", ".join("%s (%s)" % x for x in late) if late else ""))
        want = [("heihe.sunwu", datetime.date(2003, 11, 14))] if p == "2003-10" else []
        ck.check(late == want, "%s: late %r, expected %r" % (p, late, want))
    print("      %d later rows (restatements, late entries), each dated after its"
          " month's report" % len(later_rows))

    def monthly(region, ind):
        return [state[(region, ind, p)] for p in MONTHS]

    def ytd(region, ind, upto=9):
        vals = monthly(region, ind)[:upto + 1]
        return sum(vals) if time_of[ind] == "flow" else vals[-1]

    region_ytd = {REGION[s]: {i: ytd(REGION[s], i) for i in INDICATORS} for s in SOURCES}
    city = {i: sum(region_ytd[REGION[s]][i] for s in SOURCES) for i in INDICATORS}

    def rates(fig, region):
        out = {}
        for ind in ("employed_new", "reemployed", "new_jobs"):
            if ind in targets.get(region, {}):
                out[ind + ".completion"] = pct(fig[ind], targets[region][ind], 1)
        out["reemployment_rate"] = pct(fig["reemployed"], fig["laid_off_registered"], 1)
        out["unemployment_rate"] = pct(fig["registered_unemployed"],
                                       fig["registered_unemployed"] + fig["urban_employed"], 2)
        out["certificate_rate"] = pct(fig["certificates_issued"], fig["certificates_due"], 1)
        out["training_reemployment_rate"] = pct(fig["reemployed_after_training"], fig["trained"], 1)
        out["resettlement_rate"] = pct(fig["households_resettled"], fig["households_assisted"], 1)
        return out

    print("\nHeihe City (heihe), year to date through 2003-10")
    for ind in INDICATORS:
        ck.equal(ind, city[ind], REPORT_CITY[ind])
    ck.equal("reemployed_by_channel", sum(city[c] for c in CHANNELS), REPORT_CITY["reemployed"])
    city_rates = rates(city, "heihe")
    for k, want in REPORT_CITY_RATES.items():
        ck.equal(k + " %", city_rates[k], want)
    print("      %-44s %12s" % ("urban_labour_force",
                                city["urban_employed"] + city["registered_unemployed"]))
    for k in ("training_reemployment_rate", "resettlement_rate"):
        print("      %-44s %12s" % (k + " %", city_rates[k]))

    direct = region_ytd["heihe.direct"]
    print("\nCity level (heihe.direct), year to date through 2003-10")
    for ind, want in REPORT_DIRECT.items():
        ck.equal(ind, direct[ind], want)
    direct_rates = rates(direct, "heihe.direct")
    for k, want in REPORT_DIRECT_RATES.items():
        ck.equal(k + " %", direct_rates[k], want)

    # Consistency and plausibility, every region and month.
    print("\nConsistency")
    for s in SOURCES:
        r = REGION[s]
        for m, p in enumerate(MONTHS):
            ck.check(sum(state[(r, c, p)] for c in CHANNELS) == state[(r, "reemployed", p)],
                     "%s %s: channels do not sum to reemployed" % (r, p))
            ck.check(state[(r, "certificates_issued", p)] <= state[(r, "certificates_due", p)],
                     "%s %s: certificates issued exceed those due" % (r, p))
            ck.check(state[(r, "households_resettled", p)] <= state[(r, "households_assisted", p)],
                     "%s %s: more households resettled than assisted" % (r, p))
        for ind in INDICATORS:
            if time_of[ind] == "cumulative":
                v = monthly(r, ind)
                ck.check(all(a <= b for a, b in zip(v, v[1:])),
                         "%s %s: cumulative figure decreases: %r" % (r, ind, v))
        ck.check(region_ytd[r]["reemployed_after_training"] <= region_ytd[r]["trained"],
                 "%s: more re-employed after training than trained" % r)
        rr = float(rates(region_ytd[r], r)["reemployment_rate"])
        ck.check(30 <= rr <= 50, "%s: re-employment rate %.1f%% outside 30-50%%" % (r, rr))
    print("      channels sum to reemployed, issued <= due, resettled <= assisted,"
          " cumulative figures non-decreasing: every region, every month")

    worst = {}
    for region in ["heihe"] + [REGION[s] for s in SOURCES]:
        members = [REGION[s] for s in SOURCES] if region == "heihe" else [region]
        limit = limits[region]["unemployment_rate"]
        for m, p in enumerate(MONTHS):
            u = sum(state[(x, "registered_unemployed", p)] for x in members)
            e = sum(state[(x, "urban_employed", p)] for x in members)
            rate = 100.0 * u / (u + e)
            worst[region] = max(worst.get(region, 0), rate)
            ck.check(rate <= limit, "%s %s: unemployment rate %.2f%% above %.2f%%"
                     % (region, p, rate, limit))
    print("      unemployment rate within its control line every month"
          " (highest: heihe %.2f%% <= %.2f, heihe.direct %.2f%% <= %.2f, counties %.2f%% <= 3.5)"
          % (worst["heihe"], limits["heihe"]["unemployment_rate"],
             worst["heihe.direct"], limits["heihe.direct"]["unemployment_rate"],
             max(v for k, v in worst.items() if k not in ("heihe", "heihe.direct"))))

    over = {ind: sum(1 for s in SOURCES[1:] if region_ytd[REGION[s]][ind]
                     > targets[REGION[s]][ind]) for ind in ("employed_new", "reemployed", "new_jobs")}
    ck.check(over["employed_new"] >= 4 and over["reemployed"] >= 4 and over["new_jobs"] <= 2,
             "county completions implausible: %r" % over)
    print("      counties above their task: employed_new %d of 6, reemployed %d of 6,"
          " new_jobs %d of 6" % (over["employed_new"], over["reemployed"], over["new_jobs"]))

    print("\nFile shapes and restatements")
    for s, key, old, new in restated:
        print("      %-12s %s %s %s: %d -> %d" % (s + ".csv", key[0], key[1], key[2], old, new))
    ck.check(any(k[1] == "employed_new" and k[2] == "2003-06" and s == "nenjiang"
                 for s, k, _, _ in restated), "no nenjiang restatement of 2003-06 employed_new")
    ck.check(any(time_of[k[1]] == "stock" and s != "nenjiang" for s, k, _, _ in restated),
             "no restatement of a stock in another county")
    ck.check(adds >= 2, "fewer than two add rows")
    n_bom = sum(1 for i in looks.values() if i["bom"])
    n_crlf = sum(1 for i in looks.values() if i["crlf"])
    n_thou = sum(1 for i in looks.values() if i["thousands"])
    ck.check(n_bom >= 1 and n_crlf >= 1 and n_thou >= 2, "file shapes missing")
    print("      %d add rows; %d file(s) with a BOM, %d with CRLF, %d with thousands separators"
          % (adds, n_bom, n_crlf, n_thou))

    print_table(region_ytd, city, targets, rates, markdown=verbose_table)
    return ck.failures


def print_table(region_ytd, city, targets, rates, markdown=False):
    cols = ["employed_new", "reemployed", "laid_off_registered", "new_jobs",
            "registered_unemployed", "urban_employed"]
    head = ["region", "employed", "task", "%", "re-empl.", "task", "%",
            "registered", "re-empl.%", "new jobs", "task", "%",
            "unemployed", "urban empl.", "unempl.%"]
    lines = []
    for region, fig in [("heihe", city)] + list(region_ytd.items()):
        t = targets[region]
        rt = rates(fig, region)
        lines.append([region,
                      "{:,}".format(fig["employed_new"]), "{:,}".format(t["employed_new"]),
                      rt["employed_new.completion"],
                      "{:,}".format(fig["reemployed"]), "{:,}".format(t["reemployed"]),
                      rt["reemployed.completion"],
                      "{:,}".format(fig["laid_off_registered"]), rt["reemployment_rate"],
                      "{:,}".format(fig["new_jobs"]), "{:,}".format(t["new_jobs"]),
                      rt["new_jobs.completion"],
                      "{:,}".format(fig["registered_unemployed"]),
                      "{:,}".format(fig["urban_employed"]), rt["unemployment_rate"]])
    print("\nBy region, year to date through 2003-10 (flows summed, stocks and cumulative"
          " figures as of October)")
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        for l in lines:
            print("| " + " | ".join(l) + " |")
    else:
        widths = [max(len(x[i]) for x in [head] + lines) for i in range(len(head))]
        for l in [head] + lines:
            print("  " + "  ".join(x.ljust(widths[0]) if i == 0 else x.rjust(widths[i])
                                   for i, x in enumerate(l)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; verify the files and that they match the generator")
    ap.add_argument("--table", action="store_true", help="print the region table as markdown")
    ap.add_argument("--out", default=DATA_DIR, help="data directory (default %(default)s)")
    args = ap.parse_args()

    files = generate()
    failures = 0
    if args.check:
        for s, data in files.items():
            path = os.path.join(args.out, s + ".csv")
            same = os.path.exists(path) and open(path, "rb").read() == data
            if not same:
                failures += 1
                print("FAIL  %s differs from what the generator makes" % path)
        if not failures:
            print("The %d files match what the generator makes (seed %d).\n"
                  % (len(files), SEED))
    else:
        os.makedirs(args.out, exist_ok=True)
        for s, data in files.items():
            with open(os.path.join(args.out, s + ".csv"), "wb") as f:
                f.write(data)
        print("Wrote %d files to %s (seed %d).\n" % (len(files), args.out, SEED))

    failures += verify(args.out, args.table)
    print("\n%s" % ("All checks passed." if not failures else "%d check(s) FAILED." % failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
