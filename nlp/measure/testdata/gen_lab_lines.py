#!/usr/bin/env python3
"""Generates lab_lines.tsv: synthetic lab / vital lines with their expected measurements.

Each output line is  TEXT <TAB> key=value;key=value  (values in canonical units; empty when
the line holds no measurement). Templates cover the layouts of issue #4 and the rejections
(doses, dates, phone numbers, abbreviations). Deterministic (fixed seed): rerun to regenerate,
    python3 nlp/measure/testdata/gen_lab_lines.py > nlp/measure/testdata/lab_lines.tsv
No real patient data: every value is drawn at random.
"""
import random

R = random.Random(20240304)


def u(lo, hi, nd=1):
    return round(R.uniform(lo, hi), nd)


def i(lo, hi):
    return R.randint(lo, hi)


def g(v):
    s = ("%.4f" % v).rstrip("0").rstrip(".")
    return s


def c2f(c):
    return round(c * 9 / 5 + 32, 1)


T = []  # (text, [(key, value)])


def add(text, facts):
    T.append((text, facts))


for _ in range(6):
    na = i(118, 150)
    add(f"Na {na} (L)" if na < 135 else f"Na {na}", [("sodium", na)])
    add(f"Sodium: {na} mmol/L", [("sodium", na)])
    add(f"Na+ {na} mEq/L", [("sodium", na)])
for _ in range(4):
    a, b = u(0.6, 1.2), u(1.5, 4.5)
    add(f"Cr {b} <- {a}", [("creatinine", a), ("creatinine", b)])
    add(f"creatinine {a} \u2192 {b}", [("creatinine", a), ("creatinine", b)])
    add(f"Creatinine {b} mg/dL (baseline {a})", [("creatinine", a), ("creatinine", b)])
    umol = i(60, 400)
    add(f"Creat {umol} umol/L", [("creatinine", round(umol * 0.011312, 4))])
for _ in range(4):
    bnp = i(1000, 4999)
    add(f"BNP {bnp // 1000},{bnp % 1000:03d} pg/mL", [("bnp", bnp)])
    lac = u(1.0, 8.0)
    add(f"lactate {lac}", [("lactate", lac)])
    add(f"Lactic acid {lac} mmol/L, repeat pending", [("lactate", lac)])
for _ in range(5):
    s = i(82, 99)
    add(f"SpO2 {s}% on RA", [("spo2", s)])
    l = i(1, 6)
    add(f"sat {s}% on {l}L NC", [("spo2", s)])
    add(f"O2 sat {s}% on room air, placed on {l} L nasal cannula", [("spo2", s)])
for _ in range(5):
    sb, db = i(70, 180), i(35, 100)
    add(f"BP {sb}/{db}", [("sbp", sb), ("dbp", db)])
    add(f"Blood pressure {sb}/{db} mmHg", [("sbp", sb), ("dbp", db)])
for _ in range(4):
    t = u(35.5, 40.5)
    add(f"T {t} C", [("temperature", t)])
    f = c2f(t)
    add(f"Tmax {f} F", [("temperature", round((f - 32) * 5 / 9, 4))])
    add(f"Temp {f}", [("temperature", round((f - 32) * 5 / 9, 4))])
for _ in range(4):
    rr, hr = i(12, 40), i(55, 150)
    add(f"RR {rr}", [("respiratory_rate", rr)])
    add(f"HR {hr}", [("heart_rate", hr)])
    add(f"HR {hr} RR {rr}", [("heart_rate", hr), ("respiratory_rate", rr)])
for _ in range(4):
    bmi = u(16, 55)
    add(f"BMI {bmi}", [("bmi", bmi)])
    add(f"BMI: {bmi} kg/m2", [("bmi", bmi)])
    w1, w0 = i(45, 120), i(50, 130)
    add(f"Wt {w1} kg (was {w0} kg in August)", [("weight", w0), ("weight", w1)])
    lb = i(100, 300)
    add(f"Weight {lb} lbs", [("weight", round(lb * 0.45359237, 4))])
for _ in range(4):
    lo = i(2, 6) * 5
    add(f"EF {lo}-{lo + 5}%", [("ejection_fraction", lo + 2.5)])
    add(f"LVEF {lo}%", [("ejection_fraction", lo)])
for _ in range(4):
    na, k, cl, co2, bun, cr, glu = i(125, 145), u(3.0, 6.0), i(95, 110), i(15, 30), i(8, 60), u(0.6, 3.5), i(70, 350)
    add(f"Na {na} K {k} Cl {cl} HCO3 {co2} BUN {bun} Cr {cr} Glu {glu}",
        [("sodium", na), ("potassium", k), ("chloride", cl), ("bicarbonate", co2), ("bun", bun),
         ("creatinine", cr), ("glucose", glu)])
    add(f"Na/K/Cl/CO2/BUN/Cr/Glu: {na}/{k}/{cl}/{co2}/{bun}/{cr}/{glu}",
        [("sodium", na), ("potassium", k), ("chloride", cl), ("bicarbonate", co2), ("bun", bun),
         ("creatinine", cr), ("glucose", glu)])
    # Fishbone shorthand: may be skipped, must not produce wrong values.
    add(f"BMP: {na} | {cl} | {bun} / {k} | {co2} | {cr} < {glu}", [])
for _ in range(4):
    wbc, hgb, hct, plt = u(2.0, 25.0), u(6.0, 15.0), u(20, 45), i(40, 450)
    add(f"WBC {wbc}, Hgb {hgb}, Hct {hct}, Plt {plt}",
        [("wbc", wbc), ("hemoglobin", hgb), ("hematocrit", hct), ("platelets", plt)])
    cells = i(2000, 30000)
    add(f"WBC {cells // 1000},{cells % 1000:03d}", [("wbc", cells / 1000)])
    add(f"H/H {hgb}/{hct}", [("hemoglobin", hgb), ("hematocrit", hct)])
    add(f"Hgb {hgb} g/dL (H)" if hgb > 14 else f"Hgb {hgb} g/dL (L)", [("hemoglobin", hgb)])
for _ in range(3):
    inr, ptt, fib = u(0.9, 4.5), i(25, 90), i(80, 500)
    add(f"INR {inr}, PTT {ptt} sec, fibrinogen {fib} mg/dL",
        [("inr", inr), ("ptt", ptt), ("fibrinogen", fib)])
    tb, alb, pre, nh3 = u(0.3, 12), u(1.5, 4.5), i(5, 35), i(15, 180)
    add(f"T bili {tb}, albumin {alb}, prealbumin {pre}", [("bilirubin", tb), ("albumin", alb), ("prealbumin", pre)])
    add(f"Ammonia {nh3} umol/L", [("ammonia", nh3)])
    trop = round(R.uniform(0.01, 5), 2)
    add(f"Troponin {trop} ng/mL", [("troponin", trop)])
    nt = i(300, 30000)
    add(f"NT-proBNP {nt}", [("nt_probnp", nt)])
for _ in range(3):
    ph, pco2, po2 = round(R.uniform(7.1, 7.5), 2), i(25, 90), i(45, 120)
    add(f"ABG {ph}/{pco2}/{po2}", [("ph", ph), ("paco2", pco2), ("pao2", po2)])
    fio2 = i(3, 10) * 10
    add(f"pH {ph}, pCO2 {pco2}, PaO2 {po2} on FiO2 {fio2}%",
        [("ph", ph), ("paco2", pco2), ("pao2", po2), ("fio2", fio2)])
    gcs = i(3, 15)
    add(f"GCS {gcs}", [("gcs", gcs)])
    uo = i(5, 80)
    add(f"UOP {uo} mL/hr", [("urine_output", uo)])
    mp = i(45, 100)
    add(f"MAP {mp}", [("map", mp)])
for _ in range(3):
    k = u(2.5, 6.9)
    add(f"K {k} (critical)" if k > 6 or k < 2.8 else f"K {k}", [("potassium", k)])
    gl = u(3.0, 20.0)
    add(f"Glucose {gl} mmol/L", [("glucose", round(gl * 18.016, 4))])
    hb = i(60, 150)
    add(f"Hb {hb} g/L", [("hemoglobin", hb / 10)])
    lm = i(10, 80)
    add(f"lactate {lm} mg/dL", [("lactate", round(lm * 0.111, 4))])
# Hand-written realistic lines.
hand = [
    ("Vitals: T 38.9 P 118 R 32 BP 84/46 SpO2 88% on 2L NC",
     [("temperature", 38.9), ("heart_rate", 118), ("respiratory_rate", 32), ("sbp", 84), ("dbp", 46), ("spo2", 88)]),
    ("Febrile to 39.4 overnight, tachycardic to 130.", [("temperature", 39.4), ("heart_rate", 130)]),
    ("Sodium 126 this morning, down from 131 yesterday.", [("sodium", 131), ("sodium", 126)]),
    ("Cr 0.9 (03/01) -> 2.3 (03/03)", [("creatinine", 0.9), ("creatinine", 2.3)]),
    ("Creatinine peaked at 3.1, now 2.4.", [("creatinine", 3.1), ("creatinine", 2.4)]),
    ("Hgb 9.8 -> 7.1 after the bleed", [("hemoglobin", 9.8), ("hemoglobin", 7.1)]),
    ("Platelets 85,000", [("platelets", 85)]),
    ("Plt 42 (L)", [("platelets", 42)]),
    ("ANC 450", [("anc", 0.45)]),
    ("bands 15%", [("bands", 15)]),
    ("eGFR 28 mL/min/1.73m2", [("egfr", 28)]),
    ("eGFR >60", [("egfr", 60)]),
    ("Glucose 412 (H)", [("glucose", 412)]),
    ("K 6.8 (H) on repeat, hemolyzed sample excluded", [("potassium", 6.8)]),
    ("BUN/Cr 45/2.3", [("bun", 45), ("creatinine", 2.3)]),
    ("PT/INR 14.2/1.3", [("pt", 14.2), ("inr", 1.3)]),
    ("Height 170 cm, weight 118 kg, BMI 40.8", [("height", 170), ("weight", 118), ("bmi", 40.8)]),
    ("Ht 66 inches", [("height", 167.64)]),
    ("hs-troponin 45 ng/L", [("troponin", 0.045)]),
    ("Albumin 2.1 g/dL; prealbumin 8 mg/dL", [("albumin", 2.1), ("prealbumin", 8)]),
    ("Magnesium 1.4, phos 2.0", [("magnesium", 1.4), ("phosphorus", 2.0)]),
    ("Lactate 4.1 -> 2.2 after 30 mL/kg", [("lactate", 4.1), ("lactate", 2.2)]),
    ("FiO2 0.6, PEEP 10", [("fio2", 60)]),
    ("WBC 18.2 (H), bands 12%", [("wbc", 18.2), ("bands", 12)]),
    ("Temperature 101.2 F", [("temperature", 38.4444)]),
    ("SBP 80s-90s on levophed", []),
    ("MAPs in the 50s", []),
    ("Na 3/12 follow up in clinic", []),
    ("K-ras mutation positive", []),
    ("furosemide 40 mg IV BID", []),
    ("potassium chloride 40 mEq PO x1", []),
    ("K 40 mEq PO given", []),
    ("sodium chloride 0.9% at 75 mL/hr", []),
    ("sodium bicarbonate 650 mg TID", []),
    ("magnesium sulfate 2 g IV", []),
    ("Allergies: NA", []),
    ("Na restriction 2 g diet education", []),
    ("Call with questions: 555-1234", []),
    ("Cr 2023-03-01 outside records", []),
    ("HR 12:30 appointment", []),
    ("albumin 25 g IV x1", []),
    ("CR 2 years after chemo", []),
    ("Hgb A1c 7.2%", []),
    ("Follow up in 2 weeks with PCP.", []),
    ("Patient is a 67 yo male with CHF, EF unknown.", []),
    ("Lasix 80 mg IV x1 given, diuresed 2 L.", []),
    ("Metoprolol 25 mg PO BID, lisinopril 10 mg daily.", []),
    ("Room 412, bed 2", []),
    ("Discussed with Dr. Na at 4 pm.", []),
    ("sodium 1260", []),
    ("Tylenol 650 mg q6h prn T > 38.5", []),
    ("Insulin sliding scale for glucose > 180", []),
    ("Goal SpO2 88-92% given COPD.", []),
    ("Transfuse for Hgb < 7.", []),
    ("Keep K > 4 and Mg > 2.", []),
    ("MRN 4455123, DOB 03/14/1952", []),
    ("EKG: sinus tach, QTc 480", []),
    ("Wt 70", []),
]
for text, facts in hand:
    add(text, facts)

# Held-out block: written after the extractor, without running it first; kept even where the
# extractor misses ("~1.0", comma series, "repeat 5.4"), so the figures stay honest.
heldout = [
    ("Labs notable for sodium of 127, potassium 5.6, creatinine 2.8 (baseline ~1.0).",
     [("sodium", 127), ("potassium", 5.6), ("creatinine", 1.0), ("creatinine", 2.8)]),
    ("Serum Na 129 -> 132 -> 134 with fluid restriction", [("sodium", 129), ("sodium", 132), ("sodium", 134)]),
    ("Creatinine has been trending up: 1.1, 1.6, 2.2", [("creatinine", 1.1), ("creatinine", 1.6), ("creatinine", 2.2)]),
    ("BP 92/58 (MAP 69), HR 104, afebrile", [("sbp", 92), ("dbp", 58), ("map", 69), ("heart_rate", 104)]),
    ("SaO2 91% on 6L, RR 24", [("spo2", 91), ("respiratory_rate", 24)]),
    ("Temp 38.3\u00b0C", [("temperature", 38.3)]),
    ("Hemoglobin dropped from 11.2 to 7.9", [("hemoglobin", 11.2), ("hemoglobin", 7.9)]),
    ("WBC count 15.3 K/uL", [("wbc", 15.3)]),
    ("Lactate 2.8 mmol/L (H)", [("lactate", 2.8)]),
    ("Trop I 0.08 -> 0.32 -> 0.54", [("troponin", 0.08), ("troponin", 0.32), ("troponin", 0.54)]),
    ("procalcitonin 4.2, CRP 180", []),
    ("Glucose 45 (critical low)", [("glucose", 45)]),
    ("BMI 38.5 kg/m\u00b2", [("bmi", 38.5)]),
    ("Weight today 82.4 kg, admission weight 88.0 kg", [("weight", 82.4), ("weight", 88.0)]),
    ("O2 sats 87-89% on RA", []),
    ("INR 3.4 on warfarin", [("inr", 3.4)]),
    ("Plt count 38K", [("platelets", 38)]),
    ("ALT 45, AST 62, alk phos 140", []),
    ("A1c 8.2%", []),
    ("Admission Hgb 13.1, today 8.4", [("hemoglobin", 13.1), ("hemoglobin", 8.4)]),
    ("pCO2 of 72 and pH 7.22", [("paco2", 72), ("ph", 7.22)]),
    ("Tmax 102.4, currently 99.1", [("temperature", 39.1111), ("temperature", 37.2778)]),
    ("Urine output 200 mL over 8 hours", [("urine_output", 25)]),
    ("Bicarb 14, anion gap 22", [("bicarbonate", 14)]),
    ("Chloride 112 (H)", [("chloride", 112)]),
    ("HCO3- 18", [("bicarbonate", 18)]),
    ("Potassium 5.9 mEq/L, repeat 5.4", [("potassium", 5.9), ("potassium", 5.4)]),
    ("GFR 22", [("egfr", 22)]),
    ("albumin 1.9 (L), total protein 5.1", [("albumin", 1.9)]),
    ("Heart rate in the 120s", []),
    ("K+ 2.9, Mg 1.5", [("potassium", 2.9), ("magnesium", 1.5)]),
    ("Troponin <0.01", [("troponin", 0.01)]),
    ("Sodium 133 on 3/4, 128 on 3/5", [("sodium", 133), ("sodium", 128)]),
    ("pulse ox 84% RA", [("spo2", 84)]),
    ("NT-proBNP 12,450 pg/mL", [("nt_probnp", 12450)]),
    ("BUN 88 / Cr 4.6", [("bun", 88), ("creatinine", 4.6)]),
    ("Ionized calcium 0.98", []),
    ("Pt is 5'4\" and 210 lbs", [("height", 162.56), ("weight", 95.2544)]),
    ("Hct 24.1%, down from 31%", [("hematocrit", 31), ("hematocrit", 24.1)]),
    ("Na 2 g diet, K 4.2", [("potassium", 4.2)]),
]
for text, facts in heldout:
    add(text, facts)

# Added 2026-11-23 with derived values: weights that are not the patient's weight now, a venous
# gas, and an order's blood-pressure threshold.
later = [
    ("Ideal body weight 61 kg", []),
    ("Dosing weight 70 kg for vancomycin", []),
    ("Dry weight 80 kg, current weight 84 kg", [("weight", 84)]),
    ("Usual body weight 90 kg", []),
    ("VBG: pH 7.31, pCO2 52, pO2 38", []),
    ("Hold lisinopril for BP < 90/50", []),
    ("P/F ratio 180 on the vent", [("pf_ratio", 180)]),
    ("BP 92/48, MAP of 70", [("sbp", 92), ("dbp", 48), ("map", 70)]),
    ("Goal MAP of 65 on norepinephrine", []),
]
for text, facts in later:
    add(text, facts)

for text, facts in T:
    gold = ";".join(f"{k}={g(v)}" for k, v in facts)
    print(f"{text}\t{gold}")
