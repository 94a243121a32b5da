#!/usr/bin/env python3
"""gen.py — regenerate the table fixtures under tests/data/bad/ and the
table fuzz seeds under fuzz/corpus/table/.

Run from the repository root:  python3 tests/data/bad/gen.py
The output is committed; this script only documents how each case was made.

good-tiny2   hand-made balanced single-region table, 2 industries:
             rows    x_i = sum_j Z_ij + sum_k Y_ik  (100, 200)
             columns x_j = sum_i Z_ij + sum_r V_rj  (100, 200)
             GDP = sum V = 200 = sum Y (imports negative)
good-tiny3   hand-made balanced two-region table, 3 industries, every number
             a dyadic fraction so the sums are exact in binary
crlf-bom     good-tiny2 with CRLF line ends and a UTF-8 BOM on every CSV
             (must load, with the same numbers)
Every other directory is good-tiny2 with one defect, named after it.
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SEEDS = os.path.join(ROOT, "fuzz", "corpus", "table")

META2 = ('{\n  "format": "chokepoint-table",\n  "version": 1,\n  "name": "tiny-2",\n'
         '  "title": "Hand-made 2-industry table",\n  "unit": "bn JPY",\n  "year": 2015,\n'
         '  "price_basis": "producer prices",\n  "import_type": "competitive"\n}\n')

TINY2 = {
    "table.json": META2,
    "industries.csv": "region,sector,name\nJPN,A,Agriculture\nJPN,M,\"Manufacturing, all\"\n",
    "fd.csv": "region,category,kind\nJPN,hhco,consumption\nJPN,Export,export\nJPN,Import,import\n",
    "va.csv": "label,kind\nwages,value_added\ntaxes,tax\n",
    "Z.csv": "region,sector,JPN/A,JPN/M\nJPN,A,10,20\nJPN,M,30,40\n",
    "Y.csv": "region,sector,JPN/hhco,JPN/Export,JPN/Import\nJPN,A,50,25,-5\nJPN,M,60,80,-10\n",
    "V.csv": "label,JPN/A,JPN/M\nwages,45,100\ntaxes,15,40\n",
    "x.csv": "region,sector,x\nJPN,A,100\nJPN,M,200\n",
    "provenance.md": "Hand-made test table (tests/data/bad/gen.py): no source; "
                     "year 2015; unit bn JPY; no transformation.\n",
}

TINY3 = {
    "table.json": META2.replace("tiny-2", "tiny-3").replace("2-industry", "3-industry")
                       .replace("bn JPY", "Mill USD").replace("competitive", "mrio"),
    "industries.csv": "region,sector,name\nCHN,MIN,Mining\nJPN,MAN,Manufacturing\nJPN,SRV,Services\n",
    "fd.csv": "region,category,kind\nCHN,hhco,consumption\nJPN,hhco,consumption\nJPN,gfcf,investment\n",
    "va.csv": "label,kind\nwages,value_added\ntaxes,tax\n",
    "Z.csv": "region,sector,CHN/MIN,JPN/MAN,JPN/SRV\n"
             "CHN,MIN,1.5,12.25,0.25\nJPN,MAN,2,30.5,7.125\nJPN,SRV,0.5,9.75,20\n",
    "Y.csv": "region,sector,CHN/hhco,JPN/hhco,JPN/gfcf\n"
             "CHN,MIN,10,0,1\nJPN,MAN,5,25.375,20\nJPN,SRV,0,50,9.75\n",
    "V.csv": "label,CHN/MIN,JPN/MAN,JPN/SRV\nwages,15,30,50.125\ntaxes,6,7.5,12.5\n",
    "x.csv": "region,sector,x\nCHN,MIN,25\nJPN,MAN,90\nJPN,SRV,90\n",
    "provenance.md": "Hand-made test table (tests/data/bad/gen.py): no source; "
                     "year 2015; unit Mill USD; no transformation.\n",
}


def sub(base, **changes):
    """A copy of base with files replaced (a value of None deletes the file)."""
    d = dict(base)
    for k, v in changes.items():
        k = k.replace("_csv", ".csv").replace("_json", ".json")
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


def crlf_bom(files):
    """CRLF line ends everywhere, a UTF-8 BOM on every CSV."""
    out = {}
    for k, v in files.items():
        v = v.replace("\n", "\r\n")
        if k.endswith(".csv"):
            v = "\ufeff" + v
        out[k] = v
    return out


T = TINY2
CASES = {
    "good-tiny2": T,
    "good-tiny3": TINY3,
    "crlf-bom": crlf_bom(T),
    # Z.csv row 2 (line 3) lacks its last field
    "ragged-row": sub(T, Z_csv="region,sector,JPN/A,JPN/M\nJPN,A,10,20\nJPN,M,30\n"),
    # Z.csv line 3 col 8: "4O" (letter O)
    "non-numeric": sub(T, Z_csv="region,sector,JPN/A,JPN/M\nJPN,A,10,20\nJPN,M,30,4O\n"),
    # Y.csv line 2 col 7: NaN
    "nan-cell": sub(T, Y_csv="region,sector,JPN/hhco,JPN/Export,JPN/Import\n"
                             "JPN,A,NaN,25,-5\nJPN,M,60,80,-10\n"),
    # V.csv line 3 col 7: Inf
    "inf-cell": sub(T, V_csv="label,JPN/A,JPN/M\nwages,45,100\ntaxes,Inf,40\n"),
    # Y.csv line 3 col 10: empty cell
    "empty-cell": sub(T, Y_csv="region,sector,JPN/hhco,JPN/Export,JPN/Import\n"
                               "JPN,A,50,25,-5\nJPN,M,60,,-10\n"),
    "empty-file": sub(T, V_csv=""),
    "blank-file": sub(T, x_csv="\n  \r\n"),
    # industries.csv line 3 col 5: empty sector
    "missing-label": sub(T, industries_csv="region,sector,name\nJPN,A,Agriculture\nJPN,,Manufacturing\n"),
    # fd.csv header field 2
    "bad-header": sub(T, fd_csv="region,cat,kind\nJPN,hhco,consumption\nJPN,Export,export\n"
                                "JPN,Import,import\n"),
    "dup-industry": sub(T, industries_csv="region,sector,name\nJPN,A,Agriculture\nJPN,A,Again\n",
                        Z_csv="region,sector,JPN/A,JPN/A\nJPN,A,10,20\nJPN,A,30,40\n",
                        Y_csv="region,sector,JPN/hhco,JPN/Export,JPN/Import\nJPN,A,50,25,-5\n"
                              "JPN,A,60,80,-10\n",
                        V_csv="label,JPN/A,JPN/A\nwages,45,100\ntaxes,15,40\n",
                        x_csv="region,sector,x\nJPN,A,100\nJPN,A,200\n"),
    "dup-va": sub(T, va_csv="label,kind\nwages,value_added\nwages,tax\n",
                  V_csv="label,JPN/A,JPN/M\nwages,45,100\nwages,15,40\n"),
    # Z.csv columns swapped: line 1 col 15 is "JPN/M" where JPN/A belongs
    "cols-out-of-order": sub(T, Z_csv="region,sector,JPN/M,JPN/A\nJPN,A,20,10\nJPN,M,40,30\n"),
    # x.csv rows swapped: line 2 col 5 is "M" where A belongs
    "rows-out-of-order": sub(T, x_csv="region,sector,x\nJPN,M,200\nJPN,A,100\n"),
    # Y.csv has one data row too few
    "missing-row": sub(T, Y_csv="region,sector,JPN/hhco,JPN/Export,JPN/Import\nJPN,A,50,25,-5\n"),
    "missing-file": sub(T, Y_csv=None),
    "no-table-json": sub(T, table_json=None),
    "wrong-format": sub(T, table_json=META2.replace("chokepoint-table", "pymrio")),
    "wrong-version": sub(T, table_json=META2.replace('"version": 1', '"version": 2')),
    "bad-json": sub(T, table_json=META2.replace('"year": 2015,', '"year": 2015')),
    "no-unit": sub(T, table_json=META2.replace('  "unit": "bn JPY",\n', "")),
    "unknown-fd-kind": sub(T, fd_csv="region,category,kind\nJPN,hhco,households\nJPN,Export,export\n"
                                     "JPN,Import,import\n"),
    # x of M negative: the row/column sums no longer matter, refused first
    "negative-output": sub(T, x_csv="region,sector,x\nJPN,A,100\nJPN,M,-200\n"),
    # Y[A, hhco] 50 -> 58: row A misses by 8 (8%), columns still balance
    "unbalanced": sub(T, Y_csv="region,sector,JPN/hhco,JPN/Export,JPN/Import\n"
                               "JPN,A,58,25,-5\nJPN,M,60,80,-10\n"),
    # outputs near DBL_MAX: their total overflows; must still fail the balance check
    "huge-output": sub(T, x_csv="region,sector,x\nJPN,A,1e308\nJPN,M,1e308\n"),
    # a year that does not fit an int
    "bad-year": sub(T, table_json=META2.replace('"year": 2015', '"year": 20150000000')),
    # 40 industries and no matrices: refused by size before Z (40x40) is allocated
    "many-industries": {"table.json": META2, "fd.csv": T["fd.csv"], "va.csv": T["va.csv"],
                        "industries.csv": "region,sector,name\n" +
                        "".join("JPN,S%02d,Sector %d\n" % (i, i) for i in range(40))},
    # Z.csv line 3 col 9: an unterminated quote
    "unterminated-quote": sub(T, Z_csv="region,sector,JPN/A,JPN/M\nJPN,A,10,20\nJPN,M,30,\"40\n"),
}


def write_dir(name, files):
    """Write one fixture directory (replacing what was there)."""
    d = os.path.join(HERE, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for k, v in files.items():
        with open(os.path.join(d, k), "wb") as f:
            f.write(v.encode("utf-8"))


def write_seed(name, files):
    """One fuzz seed: the files framed by '=== NAME' marker lines."""
    os.makedirs(SEEDS, exist_ok=True)
    with open(os.path.join(SEEDS, name + ".txt"), "wb") as f:
        for k, v in files.items():
            if k == "provenance.md":
                continue
            f.write(("=== " + k + "\n" + v).encode("utf-8"))


def main():
    """Write every case and the seeds."""
    for name, files in CASES.items():
        write_dir(name, files)
    for name in ("good-tiny2", "good-tiny3", "crlf-bom", "unbalanced", "cols-out-of-order",
                 "negative-output", "huge-output", "dup-industry"):
        write_seed(name, CASES[name])


if __name__ == "__main__":
    main()
