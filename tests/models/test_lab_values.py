"""Lab values: unit conversion (EL-05), reference ranges (EL-01 to EL-04), the classifier, and
every kind of bad input. Expected numbers are worked out by hand from the facts."""
import re

import pytest

from physiology import data
from physiology import lab_values as lv
from physiology.lab_values import LabValueError, convert, read


# --- conversions (EL-05) ---------------------------------------------------------------------

def test_calcium_and_magnesium_conversion_factors_match_el05():
    # EL-05: Ca mg/dL x 0.2495 = mmol/L; Mg mg/dL x 0.4114 = mmol/L
    assert convert(1.0, "mg/dL", "mmol/L", "total_calcium") == pytest.approx(0.2495, abs=1e-4)
    assert convert(1.0, "mg/dL", "mmol/L", "magnesium") == pytest.approx(0.4114, abs=1e-4)
    # ...and back: 1 mmol/L = 4.008 mg/dL (Ca), 2.431 mg/dL (Mg)
    assert convert(1.0, "mmol/L", "mg/dL", "ionized_calcium") == pytest.approx(4.008, abs=1e-3)
    assert convert(1.0, "mmol/L", "mg/dL", "magnesium") == pytest.approx(2.431, abs=1e-3)


@pytest.mark.parametrize("analyte, mmol_l, meq_l", [
    ("sodium", 140, 140), ("potassium", 4.2, 4.2),  # monovalent: the same number
    ("total_calcium", 2.4, 4.8), ("magnesium", 0.85, 1.7),  # divalent: twice the number
])
def test_meq_per_litre_is_mmol_times_charge(analyte, mmol_l, meq_l):
    assert convert(mmol_l, "mmol/L", "mEq/L", analyte) == pytest.approx(meq_l)
    assert convert(meq_l, "mEq/L", "mmol/L", analyte) == pytest.approx(mmol_l)


def test_a_typical_calcium_report_in_three_units():
    # 9.4 mg/dL x 0.2495 = 2.345 mmol/L = 4.69 mEq/L
    assert read("total_calcium", "9.4", "mg/dL").mmol_l == pytest.approx(2.345, abs=0.002)
    assert convert(9.4, "mg/dL", "mEq/L", "total_calcium") == pytest.approx(4.69, abs=0.005)


@pytest.mark.parametrize("typed, canonical", [
    ("mmol/L", "mmol/L"), ("mmol/l", "mmol/L"), (" mM ", "mmol/L"), ("MEQ/L", "mEq/L"),
    ("meq/l", "mEq/L"), ("mg/dl", "mg/dL"), ("mg / dL", "mg/dL"),
])
def test_common_spellings_of_units_are_understood(typed, canonical):
    assert lv.normalize_unit(typed) == canonical


# --- reference ranges and the classifier ---------------------------------------------------

@pytest.mark.parametrize("analyte, low, high", [
    ("sodium", 135, 145), ("potassium", 3.5, 5.0),  # EL-01, EL-02
    ("total_calcium", 2.15, 2.57), ("ionized_calcium", 1.12, 1.32),  # EL-03
    ("magnesium", 0.70, 1.00),  # EL-04
])
def test_reference_ranges_are_the_facts(analyte, low, high):
    a = lv.analyte(analyte)
    assert (a.reference_low_mmol_l, a.reference_high_mmol_l) == (low, high)


@pytest.mark.parametrize("analyte, value, unit, status", [
    ("potassium", "3.4", "mmol/L", "low"), ("potassium", "3.5", "mmol/L", "normal"),
    ("potassium", "5.0", "mmol/L", "normal"), ("potassium", "5.1", "mEq/L", "high"),
    ("sodium", "134", "mmol/L", "low"), ("sodium", "146", "mEq/L", "high"),
    # EL-03 gives 8.6-10.3 mg/dL for 2.15-2.57 mmol/L: both ends must count as normal
    ("total_calcium", "8.6", "mg/dL", "normal"), ("total_calcium", "10.3", "mg/dL", "normal"),
    ("total_calcium", "8.5", "mg/dL", "low"), ("total_calcium", "10.4", "mg/dL", "high"),
    # EL-04 gives 1.7-2.4 mg/dL for 0.7-1.0 mmol/L
    ("magnesium", "1.7", "mg/dL", "normal"), ("magnesium", "2.4", "mg/dL", "normal"),
    ("magnesium", "1.6", "mg/dL", "low"), ("magnesium", "2.5", "mg/dL", "high"),
    # ionized Ca about 4.5-5.3 mg/dL (EL-03)
    ("ionized_calcium", "4.5", "mg/dL", "normal"), ("ionized_calcium", "0.9", "mmol/L", "low"),
])
def test_classifier(analyte, value, unit, status):
    assert read(analyte, value, unit).status == status


def test_reference_range_is_shown_in_the_unit_typed():
    reading = read("total_calcium", "9.0", "mg/dL")
    low, high = reading.reference_range
    assert low == pytest.approx(8.6, abs=0.05) and high == pytest.approx(10.3, abs=0.05)


# --- bad input: clear, specific errors, nothing clipped ----------------------------------

@pytest.mark.parametrize("value, message", [
    ("abc", "'abc' is not a number"),
    ("", "Type a value"),
    ("   ", "Type a value"),
    ("4,1", "Use a dot for decimals: 4.1"),
    ("-3", "cannot be negative"),
    ("0", "not possible in blood"),
    ("nan", "not a usable number"),
    ("inf", "not a usable number"),
    ("40", "outside what this tool accepts for potassium (1.0-10.0 mmol/L)"),
    ("10.01", "outside what this tool accepts"),
    ("0.9", "outside what this tool accepts"),
])
def test_bad_potassium_values_get_specific_messages(value, message):
    with pytest.raises(LabValueError, match=re.escape(message)):
        read("potassium", value, "mmol/L")


def test_a_value_outside_the_accepted_range_is_refused_not_clipped():
    assert read("potassium", "10.0", "mmol/L").mmol_l == 10.0
    with pytest.raises(LabValueError):
        read("potassium", 10.5, "mmol/L")


def test_a_calcium_typed_in_the_wrong_unit_suggests_the_right_one():
    with pytest.raises(LabValueError, match=r"Did you mean 9\.2 mg/dL \(= 2\.3 mmol/L\)"):
        read("total_calcium", "9.2", "mmol/L")
    with pytest.raises(LabValueError, match=r"Did you mean 2\.3 mmol/L\?"):
        read("total_calcium", "2.3", "mg/dL")


@pytest.mark.parametrize("unit, message", [
    ("g/L", "Unknown unit 'g/L'. Use one of: mmol/L, mEq/L, mg/dL."),
    ("", "Unknown unit '(none)'"),
    ("mg/dL", "Potassium is reported in mmol/L"),
])
def test_unknown_or_unsuitable_units_are_named(unit, message):
    with pytest.raises(LabValueError, match=re.escape(message)):
        read("potassium", "4.1", unit)


def test_unknown_analyte_lists_the_known_ones():
    with pytest.raises(KeyError, match="Unknown analyte 'chloride'. Known: sodium"):
        read("chloride", "100", "mmol/L")


def test_a_boolean_is_not_a_number():
    with pytest.raises(LabValueError, match="Type a number"):
        lv.parse_number(True)


def test_lab_errors_are_value_errors_so_the_widget_guard_shows_them():
    assert issubclass(LabValueError, ValueError)


# --- explanations -----------------------------------------------------------------------------

CASES = [("sodium", "130"), ("sodium", "140"), ("sodium", "150"), ("potassium", "3.0"),
         ("potassium", "4.2"), ("potassium", "6.0"), ("ionized_calcium", "0.8"),
         ("ionized_calcium", "1.2"), ("ionized_calcium", "1.5"), ("total_calcium", "1.9"),
         ("total_calcium", "2.3"), ("total_calcium", "2.9"), ("magnesium", "0.4"),
         ("magnesium", "0.85"), ("magnesium", "1.5")]


@pytest.mark.parametrize("analyte, value", CASES)
def test_explanations_explain_and_never_diagnose(analyte, value):
    text = lv.explain(read(analyte, value, "mmol/L"))
    lowered = text.lower()
    for phrase in ("you have", "you should", "your ", "diagnos", "take ", "treatment"):
        assert phrase not in lowered, phrase
    # no diagnostic labels such as "hypokalaemia" or "hypercalcemia"
    assert not re.search(r"hyp(o|er)(kal|calc|nat|mag)", lowered)
    assert not re.search(r"\[[A-Z]{2,3}-\d{2}", text), "fact ids are turned into references"
    for group in re.findall(r"\[([a-z0-9_; ]+)\]", text):
        for ref in group.split("; "):
            assert ref in data.references(), ref


def test_potassium_explanation_gives_the_nernst_number():
    # EL-08: E_K = -105.4 mV at 3 mmol/L
    assert "E_K = -105.4 mV" in lv.explain(read("potassium", "3.0", "mmol/L"))


def test_calcium_explanation_gives_the_gating_shift_as_a_range():
    # 0.8 mM: 14*log10(0.8/1.2) = -2.5 mV to 21*log10(0.8/1.2) = -3.7 mV (EL-09)
    assert "about -3.7 to -2.5 mV" in lv.explain(read("ionized_calcium", "0.8", "mmol/L"))


# --- example reports ----------------------------------------------------------------------

def test_every_example_report_reads_cleanly():
    statuses = {}
    for example in lv.examples().values():
        for analyte, v in example.values.items():
            statuses[(example.id, analyte)] = read(analyte, v.value, v.unit).status
    # HYP-11: crampers' sodium and potassium were inside the usual ranges
    assert statuses[("ironman_crampers", "sodium")] == "normal"
    assert statuses[("ironman_crampers", "potassium")] == "normal"
    # EL-03: low albumin lowers total, not ionized calcium
    assert statuses[("low_albumin_pattern", "total_calcium")] == "low"
    assert statuses[("low_albumin_pattern", "ionized_calcium")] == "normal"
    assert all(s == "normal" for (eid, _), s in statuses.items() if eid == "mid_range")
