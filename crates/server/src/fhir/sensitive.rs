//! The one place that decides which clinical codes make a record sensitive.
//!
//! A nurse sees a sensitive record without its diagnosis and notes, so a code missing
//! from these lists exposes exactly what the policy protects, while an extra code only
//! sends a nurse to a doctor. The lists therefore err on the side of flagging.
//!
//! Two nets catch a sensitive resource. Exact codes come first: SNOMED CT, RxNorm, LOINC
//! and CIEL codes as listed, ICD-10 by category prefix. Terms in the human text come
//! second, because medication codes name products by strength and pack (every strength
//! of sertraline has its own RxNorm code) while their text always names the ingredient.
//! Brand packs whose text names no ingredient ("Camila 28 Day Pack") are listed by code.

/// The groups of conditions whose records only doctors may read in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SensitiveCategory {
    Hiv,
    SubstanceUse,
    MentalHealth,
    Reproductive,
    Genetic,
}

/// A code system this module can match against its lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Terminology {
    Snomed,
    Icd10,
    RxNorm,
    Loinc,
    Ciel,
    Other,
}

/// Names a coding's terminology and the code to look up.
///
/// Bundles exported from OpenMRS (the HIV bundles of the shared Synthea sample among
/// them) carry CIEL concepts as 36-character "UUIDs": the concept number padded with
/// `A`, under whatever system URL the exporter chose. Those are read as CIEL whatever
/// the system says.
pub(super) fn identify<'a>(system: Option<&str>, code: &'a str) -> (Terminology, &'a str) {
    if let Some(concept) = padded_ciel_concept(code) {
        return (Terminology::Ciel, concept);
    }
    let terminology = match system.unwrap_or_default() {
        "http://snomed.info/sct" => Terminology::Snomed,
        "http://hl7.org/fhir/sid/icd-10" | "http://hl7.org/fhir/sid/icd-10-cm" => {
            Terminology::Icd10
        }
        "http://www.nlm.nih.gov/research/umls/rxnorm" => Terminology::RxNorm,
        "http://loinc.org" => Terminology::Loinc,
        url if url.contains("CIEL") || url.contains("cielterminology") => Terminology::Ciel,
        _ => Terminology::Other,
    };
    (terminology, code)
}

fn padded_ciel_concept(code: &str) -> Option<&str> {
    let digits = code.trim_end_matches('A');
    let padded = code.len() == 36 && digits.len() < code.len();
    (padded && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The category a single coding belongs to, if any.
pub(super) fn category_of_code(system: Option<&str>, code: &str) -> Option<SensitiveCategory> {
    let (terminology, code) = identify(system, code);
    let icd10 = (terminology == Terminology::Icd10).then(|| code.replace('.', "").to_uppercase());
    CATEGORIES.iter().find_map(|list| {
        let listed = match terminology {
            Terminology::Snomed => list.snomed.contains(&code),
            Terminology::RxNorm => list.rxnorm.contains(&code),
            Terminology::Loinc => list.loinc.contains(&code),
            Terminology::Ciel => list.ciel.contains(&code),
            Terminology::Icd10 => icd10
                .as_deref()
                .is_some_and(|code| list.icd10_prefixes.iter().any(|p| code.starts_with(p))),
            Terminology::Other => false,
        };
        listed.then_some(list.category)
    })
}

/// The category a piece of clinical text (a display, a concept's text) points to, if any.
pub(super) fn category_of_text(text: &str) -> Option<SensitiveCategory> {
    let text = text.to_lowercase();
    CATEGORIES
        .iter()
        .find(|list| mentions_any(&text, list.terms))
        .map(|list| list.category)
}

/// Whether lower-case `text` mentions any of `terms` as whole words. A term ending in
/// `*` matches any word that starts with it (`pregnan*` matches "pregnancy").
pub(super) fn mentions_any(text: &str, terms: &[&str]) -> bool {
    terms.iter().any(|term| mentions(text, term))
}

fn mentions(text: &str, term: &str) -> bool {
    let (needle, open_ended) = match term.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (term, false),
    };
    let is_word_char = |c: char| c.is_alphanumeric();
    text.match_indices(needle).any(|(start, _)| {
        let end = start + needle.len();
        let starts_word = !text[..start].chars().next_back().is_some_and(is_word_char);
        let ends_word = open_ended || !text[end..].chars().next().is_some_and(is_word_char);
        starts_word && ends_word
    })
}

struct CategoryList {
    category: SensitiveCategory,
    snomed: &'static [&'static str],
    icd10_prefixes: &'static [&'static str],
    rxnorm: &'static [&'static str],
    loinc: &'static [&'static str],
    ciel: &'static [&'static str],
    terms: &'static [&'static str],
}

/// Substance use precedes mental health so that ICD-10 F10-F19 land in their own group.
const CATEGORIES: [CategoryList; 5] = [HIV, SUBSTANCE_USE, MENTAL_HEALTH, REPRODUCTIVE, GENETIC];

const HIV: CategoryList = CategoryList {
    category: SensitiveCategory::Hiv,
    snomed: &[
        "86406008",  // HIV infection
        "62479008",  // AIDS
        "165816005", // HIV detected
        "186706006", // HIV infection constitutional disease
        "315124004", // HIV viral load
        "31676001",  // HIV antigen test
    ],
    icd10_prefixes: &[
        "B20", "B21", "B22", "B23", "B24", "B9735", "Z21", "R75", "O987", "Z114", "Z717",
    ],
    rxnorm: &[],
    loinc: &[
        "20447-9", // HIV 1 RNA viral load
        "25836-8", // HIV 1 RNA viral load
        "75622-1", // HIV 1 and 2 tests
        "56888-1", // HIV 1+2 Ab + HIV 1 p24 Ag
        "7917-8",  // HIV 1 Ab
    ],
    ciel: &[
        "138405", // HIV disease
        "856",    // HIV viral load
        "1030",   // HIV DNA PCR
        "1040",   // HIV rapid test
        "1088",   // current antiretroviral drugs
        "1250",   // antiretrovirals started
        "1255",   // antiretroviral plan
        "159911", // patient-reported antiretroviral treatment
    ],
    terms: &[
        "hiv",
        "human immunodeficiency virus",
        "acquired immunodeficiency syndrome",
        "acquired immune deficiency syndrome",
        "antiretroviral*",
        "zidovudine",
        "lamivudine",
        "abacavir",
        "didanosine",
        "stavudine",
        "tenofovir",
        "emtricitabine",
        "efavirenz",
        "nevirapine",
        "rilpivirine",
        "dolutegravir",
        "bictegravir",
        "raltegravir",
        "elvitegravir",
        "cabotegravir",
        "darunavir",
        "atazanavir",
        "lopinavir",
        "maraviroc",
    ],
};

const SUBSTANCE_USE: CategoryList = CategoryList {
    category: SensitiveCategory::SubstanceUse,
    snomed: &[
        "7200002",           // alcoholism
        "66590003",          // alcohol dependence
        "10939881000119105", // unhealthy alcohol drinking behaviour
        "6525002",           // dependent drug abuse
        "5602001",           // opioid abuse
        "361055000",         // misuses drugs
        "55680006",          // drug overdose
        "56876005",          // drug rehabilitation and detoxification
        "60112009",          // drug addiction counselling
        "61480009",          // drug detoxification
        "266707007",         // drug addiction therapy
    ],
    icd10_prefixes: &["F1", "Z714", "Z715"],
    rxnorm: &[],
    loinc: &[],
    ciel: &[],
    terms: &[
        "alcoholism",
        "alcohol abuse",
        "alcohol dependence",
        "alcohol use disorder",
        "unhealthy alcohol*",
        "drug abuse",
        "drug addiction",
        "drug dependence",
        "misuses drugs",
        "substance abuse",
        "substance use disorder",
        "opioid abuse",
        "opioid dependence",
        "opioid use disorder",
        "overdose",
        "detoxification",
        "methadone",
        "buprenorphine",
        "naltrexone",
        "disulfiram",
        "acamprosate",
    ],
};

const MENTAL_HEALTH: CategoryList = CategoryList {
    category: SensitiveCategory::MentalHealth,
    snomed: &[
        "35489007",  // depressive disorder
        "370143000", // major depressive disorder
        "36923009",  // major depression, single episode
        "40379007",  // major depression, recurrent, mild
        "310496002", // moderate depression
        "48694002",  // anxiety
        "197480006", // anxiety disorder
        "21897009",  // generalized anxiety disorder
        "47505003",  // post-traumatic stress disorder
        "58214004",  // schizophrenia
        "13746004",  // bipolar disorder
    ],
    icd10_prefixes: &["F", "R45851", "T1491", "Z915"],
    rxnorm: &[],
    loinc: &[],
    ciel: &[],
    terms: &[
        "depressive disorder",
        "major depression",
        "dysthymi*",
        "anxiety disorder",
        "generalized anxiety",
        "panic disorder",
        "post-traumatic stress",
        "posttraumatic stress",
        "ptsd",
        "schizophreni*",
        "schizoaffective",
        "bipolar",
        "psychosis",
        "psychotic",
        "suicid*",
        "self-harm",
        "eating disorder",
        "anorexia nervosa",
        "bulimi*",
        "obsessive-compulsive",
        "antidepressant*",
        "antipsychotic*",
        "sertraline",
        "fluoxetine",
        "citalopram",
        "escitalopram",
        "paroxetine",
        "venlafaxine",
        "desvenlafaxine",
        "duloxetine",
        "bupropion",
        "mirtazapine",
        "quetiapine",
        "olanzapine",
        "risperidone",
        "aripiprazole",
        "clozapine",
        "lithium carbonate",
    ],
};

const REPRODUCTIVE: CategoryList = CategoryList {
    category: SensitiveCategory::Reproductive,
    snomed: &[
        "72892002",  // normal pregnancy
        "47200007",  // high risk pregnancy
        "77386006",  // pregnant
        "19169002",  // miscarriage in first trimester
        "85116003",  // miscarriage in second trimester
        "156073000", // complete miscarriage
        "35999006",  // blighted ovum
        "398254007", // pre-eclampsia
        "198992004", // eclampsia in pregnancy
        "609496007", // complication occurring during pregnancy
        "424441002", // prenatal initial visit
        "424619006", // prenatal visit
        "134435003", // routine antenatal care
        "252160004", // standard pregnancy test
        "169230002", // ultrasound scan for fetal viability
        "271442007", // fetal anatomy study
        "275833003", // alpha-fetoprotein test, antenatal
        "274804006", // evaluation of uterine fundal height
        "225158009", // auscultation of the fetal heart
        "10383002",  // counselling for termination of pregnancy
        "714812005", // induced termination of pregnancy
        "386394001", // pregnancy termination care
        "236931002", // methotrexate injection into tubal pregnancy
        "445912000", // excision of fallopian tube and ectopic pregnancy
        "11466000",  // caesarean section
        "386216000", // human parturition
        "177157003", // spontaneous breech delivery
        "367494004", // premature birth of newborn
    ],
    icd10_prefixes: &[
        "O", "Z30", "Z31", "Z32", "Z33", "Z34", "Z35", "Z36", "Z37", "Z39", "Z3A", "Z975", "N96",
        "N97", "N46",
    ],
    rxnorm: &[
        "748962",  // Camila 28 Day Pack
        "831533",  // Errin 28 Day Pack
        "757594",  // Jolivette 28 Day Pack
        "235389",  // mestranol / norethynodrel
        "749882",  // Norinyl 1+50 28 Day Pack
        "1359133", // Estrostep Fe 28 Day Pack
        "749785",  // Ortho Tri-Cyclen 28 Day Pack
        "751905",  // Trinessa 28 Day Pack
        "749762",  // Seasonique 91 Day Pack
        "748856",  // Yaz 28 Day Pack
        "978950",  // Natazia 28 Day Pack
        "748879",  // Levora 0.15/30 28 Day Pack
    ],
    loinc: &["82810-3"], // pregnancy status
    ciel: &[],
    terms: &[
        "pregnan*",
        "prenatal",
        "antenatal",
        "obstetric*",
        "fetal",
        "fetus",
        "miscarriage",
        "abortion",
        "ectopic",
        "eclampsia",
        "contracept*",
        "intrauterine device",
        "intrauterine system",
        "sterilization",
        "vasectomy",
        "tubal ligation",
        "infertility",
        "in vitro fertili*",
        "caesarean",
        "cesarean",
        "levonorgestrel",
        "norethindrone",
        "norgestimate",
        "drospirenone",
        "desogestrel",
        "etonogestrel",
        "medroxyprogesterone",
        "ethinyl estradiol",
        "ulipristal",
        "mifepristone",
    ],
};

const GENETIC: CategoryList = CategoryList {
    category: SensitiveCategory::Genetic,
    snomed: &[
        "41040004",  // complete trisomy 21 syndrome
        "267253006", // fetus with chromosomal abnormality
        "443529005", // detection of chromosomal aneuploidy, prenatal
    ],
    icd10_prefixes: &["Q9", "Z14", "Z15", "Z137", "Z8481"],
    rxnorm: &[],
    loinc: &[],
    ciel: &[],
    terms: &[
        "genetic*",
        "genomic*",
        "chromosom*",
        "trisomy",
        "down syndrome",
        "brca*",
        "hereditary",
        "huntington",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    const SNOMED: Option<&str> = Some("http://snomed.info/sct");
    const ICD10_CM: Option<&str> = Some("http://hl7.org/fhir/sid/icd-10-cm");
    const RXNORM: Option<&str> = Some("http://www.nlm.nih.gov/research/umls/rxnorm");

    #[test]
    fn listed_snomed_codes_map_to_their_category() {
        assert_eq!(
            category_of_code(SNOMED, "86406008"),
            Some(SensitiveCategory::Hiv)
        );
        assert_eq!(
            category_of_code(SNOMED, "7200002"),
            Some(SensitiveCategory::SubstanceUse)
        );
        assert_eq!(
            category_of_code(SNOMED, "370143000"),
            Some(SensitiveCategory::MentalHealth)
        );
        assert_eq!(
            category_of_code(SNOMED, "72892002"),
            Some(SensitiveCategory::Reproductive)
        );
        assert_eq!(
            category_of_code(SNOMED, "41040004"),
            Some(SensitiveCategory::Genetic)
        );
        assert_eq!(category_of_code(SNOMED, "59621000"), None);
    }

    #[test]
    fn a_code_counts_only_under_its_own_system() {
        assert_eq!(category_of_code(RXNORM, "7200002"), None);
        assert_eq!(category_of_code(None, "86406008"), None);
    }

    #[test]
    fn icd10_codes_match_by_prefix_with_or_without_the_dot() {
        assert_eq!(
            category_of_code(ICD10_CM, "F10.20"),
            Some(SensitiveCategory::SubstanceUse)
        );
        assert_eq!(
            category_of_code(ICD10_CM, "F329"),
            Some(SensitiveCategory::MentalHealth)
        );
        assert_eq!(
            category_of_code(ICD10_CM, "O09.90"),
            Some(SensitiveCategory::Reproductive)
        );
        assert_eq!(
            category_of_code(ICD10_CM, "b20"),
            Some(SensitiveCategory::Hiv)
        );
        assert_eq!(category_of_code(ICD10_CM, "I10"), None);
    }

    #[test]
    fn padded_ciel_concepts_are_read_whatever_their_system() {
        let viral_load = "856AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert_eq!(
            identify(Some("http://loinc.org"), viral_load),
            (Terminology::Ciel, "856")
        );
        assert_eq!(
            category_of_code(Some("http://loinc.org"), viral_load),
            Some(SensitiveCategory::Hiv)
        );
        assert_eq!(identify(SNOMED, "AAAA").0, Terminology::Snomed);
    }

    #[test]
    fn brand_contraceptive_packs_are_caught_by_code() {
        assert_eq!(
            category_of_code(RXNORM, "748962"),
            Some(SensitiveCategory::Reproductive)
        );
        assert_eq!(category_of_text("Camila 28 Day Pack"), None);
    }

    #[test]
    fn ingredient_names_catch_products_whatever_their_code() {
        let text = "Buprenorphine 2 MG / Naloxone 0.5 MG Sublingual Tablet";
        assert_eq!(
            category_of_text(text),
            Some(SensitiveCategory::SubstanceUse)
        );
        assert_eq!(
            category_of_text("Sertraline 50 MG Oral Tablet"),
            Some(SensitiveCategory::MentalHealth)
        );
        assert_eq!(
            category_of_text("HIV viral load"),
            Some(SensitiveCategory::Hiv)
        );
        assert_eq!(
            category_of_text("Normal pregnancy (finding)"),
            Some(SensitiveCategory::Reproductive)
        );
    }

    #[test]
    fn terms_match_whole_words_only() {
        assert_eq!(category_of_text("Hives"), None);
        assert_eq!(category_of_text("Archive review"), None);
        assert_eq!(category_of_text("Depression screening (procedure)"), None);
        assert!(mentions_any("ectopic pregnancy", &["pregnan*"]));
        assert!(!mentions_any("nonpregnant", &["pregnan*"]));
    }
}
