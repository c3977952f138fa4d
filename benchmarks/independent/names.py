"""Name pools per nationality, written by hand for this test set (synthetic people: the
names are common names of each country, combined at random).

A name is a group of spellings of one name (transliterations, French or English
renderings), the first the most frequent: ("MOHAMED", "MOHAMMED", "MUHAMMAD"). Pools list
the most frequent names first; draws favour the head of a pool (population.py).

A nationality also holds its country as GENESIS writes it (French capitals, with and
without accents), towns of birth (spelling variants, the capital first and most frequent)
and naming habits: `father_as_surname` (the surname is the father's given name: Eritrea,
Sudan, Afghanistan), `unknown_birth_day` (share of persons whose documents give the year
only, written 01/01 or 00/00 by AGDREF).
"""

from __future__ import annotations

from dataclasses import dataclass

Name = tuple[str, ...]

# Shared groups of spellings.
MOHAMED: Name = ("MOHAMED", "MOHAMMED", "MUHAMMAD", "MOHAMMAD", "MOHAMAD", "MOHAMMED")
AHMED: Name = ("AHMED", "AHMAD", "AHMET")
ABDELKADER: Name = ("ABDELKADER", "ABD EL KADER", "ABDUL QADIR", "ABDELQADER", "ABDULKADIR")
ABDERRAHMANE: Name = ("ABDERRAHMANE", "ABDERAHMANE", "ABD ERRAHMANE", "ABDUL RAHMAN",
                      "ABDURRAHMAN")
ABDALLAH: Name = ("ABDALLAH", "ABDULLAH", "ABDALLA", "ABDOULLAH")
YOUSSEF: Name = ("YOUSSEF", "YOUSSOUF", "YUSUF", "YOUCEF", "YOUSEF")
OUSMANE: Name = ("OUSMANE", "OUSMAN", "USMAN", "OTHMANE", "OSMAN")
IBRAHIMA: Name = ("IBRAHIMA", "IBRAHIM", "IBRAHIME", "EBRAHIM")
HUSSEIN: Name = ("HUSSEIN", "HOUSSEIN", "HUSSAIN", "HOSSEIN", "HUSEYIN")
FATIMA: Name = ("FATIMA", "FATMA", "FATOUMA", "FATEMA")
AICHA: Name = ("AICHA", "AÏCHA", "AISHA", "AYSHA", "AICHAT")
MARIAM: Name = ("MARIAM", "MARYAM", "MERIEM", "MARIAMA", "MARIEM")
MUSTAFA: Name = ("MUSTAFA", "MOUSTAFA", "MOSTAFA", "MUSTAPHA", "MOSTEFA")
ISMAIL: Name = ("ISMAIL", "ISMAEL", "ISMAÏL", "SMAIL")
OMAR: Name = ("OMAR", "OMER", "UMAR", "OUMAR")
ALI: Name = ("ALI", "ALY")
HASSAN: Name = ("HASSAN", "HASAN", "HACENE", "HASSANE")
KHALED: Name = ("KHALED", "KHALID", "KHALIDE")
ADAM: Name = ("ADAM", "ADAME", "ADEM")
SOULEYMANE: Name = ("SOULEYMANE", "SOULEMANE", "SULEYMANE", "SULEIMAN", "SLEIMAN")
BOUBACAR: Name = ("BOUBACAR", "BOUBAKAR", "ABUBAKAR", "ABOUBACAR", "ABAKAR")


def _n(*spellings: str) -> Name:
    return spellings


def _single(*names: str) -> list[Name]:
    """Names with one spelling only."""
    return [(n,) for n in names]


@dataclass(frozen=True)
class Nationality:
    iso3: str
    genesis_names: tuple[str, ...]  # as GENESIS writes the country, accents optional
    weight: float  # share of the AGDREF population
    surnames: list[Name]
    male: list[Name]
    female: list[Name]
    towns: list[Name]
    father_as_surname: bool = False
    unknown_birth_day: float = 0.03


MAGHREB_MALE = [MOHAMED, YOUSSEF, ABDELKADER, _n("KARIM", "KERIM"), _n("SAMIR", "SAMMIR"),
                _n("RACHID", "RASHID", "RACHIDE"), _n("NABIL", "NABILE"), _n("HAMZA", "HAMZAH"),
                _n("BILAL", "BELAL"), _n("AYOUB", "AYOUBE", "AYUB"), _n("MEHDI", "MAHDI"),
                _n("SOFIANE", "SOFIAN", "SUFYAN"), _n("WALID", "OUALID", "WALEED"),
                _n("ZAKARIA", "ZAKARYA", "ZAKARIAE"), _n("ILYES", "ILIAS", "ILYAS"),
                ABDERRAHMANE, OMAR, ALI, KHALED, _n("RIDA", "REDA", "RIDHA"), MUSTAFA,
                _n("AMINE", "AMIN", "LAMINE"), _n("TAREK", "TARIQ", "TARIK"),
                _n("DJAMEL", "JAMEL", "JAMAL"), _n("NOUREDDINE", "NOUR EDDINE", "NURUDDIN"),
                _n("SALIM", "SELIM"), _n("FARID", "FARIDE"), _n("KAMEL", "KAMAL")]
MAGHREB_FEMALE = [FATIMA, _n("KHADIJA", "KHEDIDJA", "KHADIDJA"), AICHA, MARIAM,
                  _n("NADIA",), _n("SAMIRA",), _n("AMINA", "AMINATA"), _n("SALMA",),
                  _n("YASMINE", "YASMINA", "JASMINE"), _n("SOUAD", "SUAD"),
                  _n("NAIMA", "NAÏMA", "NAEEMA"), _n("ZINEB", "ZAYNAB", "ZEINEB"),
                  _n("HOUDA", "HUDA"), _n("LEILA", "LAILA", "LEÏLA"), _n("SARAH", "SARA")]

WEST_MALE = [_n("MAMADOU", "MAMADU", "MAMMADOU"), _n("MOUSSA", "MUSA", "MOUSA"), IBRAHIMA,
             _n("ABDOULAYE", "ABDULAYE", "ABDOULAY"), _n("SEKOU", "SÉKOU", "SEKU"),
             _n("ALPHA",), _n("AMADOU", "AHMADOU", "AMADU"), OUSMANE, BOUBACAR,
             _n("LAMINE", "LAMIN", "ALAMINE"), SOULEYMANE, _n("CHEICK", "CHEIKH", "SHEIKH"),
             MOHAMED, _n("ADAMA",), _n("DAOUDA", "DAWDA", "DAOUDOU"), _n("MODIBO",),
             _n("SIDIKI", "SIDIKY"), _n("ISSA", "ISSAH"), _n("ALASSANE", "ALHASSANE"),
             _n("KARAMOKO",), _n("BAKARY", "BAKARI"), _n("YACOUBA", "YAKOUBA"),
             _n("MAMADI", "MAMADY"), _n("THIERNO", "TIERNO"), _n("OUMAR", "OMAR")]
WEST_FEMALE = [_n("AISSATOU", "AÏSSATOU", "AISSATA"), _n("FATOUMATA", "FATOUMATTA", "FATUMATA"),
               _n("MARIAMA", "MARIAM", "MARIAMMA"), _n("KADIATOU", "KADIDIATOU", "KADIATU"),
               _n("AMINATA", "AMINATOU"), _n("HAWA", "AWA"), _n("ASSETOU", "ASSITAN"),
               _n("OUMOU", "UMU"), _n("ROKIA", "ROKIATOU"), _n("BINTOU", "BINTA"),
               _n("DJENEBA", "DIENEBA", "JENEBA"), _n("SALIMATA",), _n("NENE", "NÉNÉ")]
WEST_SURNAMES = [_n("DIALLO", "DJALLO", "JALLOH"), _n("BARRY", "BARI"), _n("SOW", "SOH"),
                 _n("TRAORE", "TRAORÉ", "TRAWARE"), _n("KEITA", "KEÏTA", "KEITTA"),
                 _n("COULIBALY", "KOULIBALY", "COULIBALI"), _n("KONATE", "KONATÉ"),
                 _n("DIARRA", "DJARRA"), _n("TOURE", "TOURÉ", "TURAY"), _n("CAMARA", "KAMARA"),
                 _n("SYLLA", "SILLA"), _n("BAH", "BA"), _n("CISSE", "CISSÉ", "SISSE"),
                 _n("KANE", "KANÉ"), _n("FOFANA",), _n("KANTE", "KANTÉ"), _n("CONDE", "CONDÉ"),
                 _n("DOUMBIA", "DUMBIA", "DOUMBYA"), _n("SANOGO",), _n("SISSOKO", "SISSOKHO"),
                 _n("SOUMAH", "SOUMA", "SUMAH"), _n("DIABATE", "DIABATÉ", "JABATEH"),
                 _n("KOUROUMA", "KURUMA"), _n("BALDE", "BALDÉ"), _n("SANGARE", "SANGARÉ"),
                 _n("DEMBELE", "DEMBÉLÉ", "DEMBELLE")]

NATIONALITIES: list[Nationality] = [
    Nationality(
        "DZA", ("ALGERIE", "ALGÉRIE"), 0.13,
        [_n("BENALI", "BEN ALI", "BEN-ALI"), _n("BENAISSA", "BEN AISSA", "BENAÏSSA"),
         _n("BOUZID", "BOUZIDE"), _n("BELKACEM", "BELKACEMI", "BELGACEM"),
         _n("MEZIANE", "MEZZIANE", "MEZIANI"), _n("KHELIFI", "KHELIF", "KHALIFI"),
         _n("SAIDI", "SAÏDI", "SAIDY"), _n("CHERIF", "CHÉRIF", "SHERIF"),
         _n("HADJ", "HADJI", "HAJ"), _n("BOUAZZA", "BOUAZA"), _n("AMRANI", "AMRANE"),
         _n("LAHMAR", "LAHMER"), _n("MANSOURI", "MANSOURY", "EL MANSOURI"),
         _n("BRAHIMI", "BRAHIMY", "IBRAHIMI"), _n("HAMIDI", "HAMIDY"), _n("ZERROUKI", "ZEROUKI"),
         _n("BOUDIAF",), _n("TAHRI", "TAHIRI"), _n("GHOMARI", "GHOUMARI"),
         _n("ABDELLI", "ABDELLY"), _n("AIT AHMED", "AIT-AHMED", "AITAHMED"),
         _n("OULD ALI", "OULDALI", "OULD-ALI"), _n("BENMOUSSA", "BEN MOUSSA"),
         _n("CHAOUI", "CHAOUY"), _n("DJEBBAR", "DJABBAR", "JABBAR"),
         _n("MESSAOUDI", "MESSAOUDY", "MASSOUDI"), _n("BEKKOUCHE", "BEKOUCHE")],
        MAGHREB_MALE, MAGHREB_FEMALE,
        [_n("ALGER", "ALGIERS", "EL DJAZAIR"), _n("ORAN", "WAHRAN"),
         _n("CONSTANTINE", "QACENTINA"), _n("SETIF", "SÉTIF"), _n("ANNABA", "BÔNE"),
         _n("TIZI OUZOU", "TIZI-OUZOU"), _n("BEJAIA", "BÉJAÏA", "BOUGIE"), _n("BLIDA",)]),
    Nationality(
        "MAR", ("MAROC",), 0.10,
        [_n("EL AMRANI", "ELAMRANI", "AMRANI"), _n("EL IDRISSI", "IDRISSI", "ELIDRISSI"),
         _n("BENNANI", "BENANI"), _n("ALAOUI", "EL ALAOUI", "ELALAOUI"), _n("TAZI", "TAZY"),
         _n("BERRADA", "BERADA"), _n("EL FASSI", "ELFASSI", "FASSI"),
         _n("OUAZZANI", "OUAZANI", "WAZZANI"), _n("AIT BENALI", "AIT-BENALI"),
         _n("BOUHADDOU", "BOUHADOU"), _n("EL OUARDI", "ELOUARDI", "OUARDI"),
         _n("CHAKIR", "CHAKER", "SHAKIR"), _n("NACIRI", "NASIRI", "NASSIRI"),
         _n("BOUKHARI", "BUKHARI", "EL BOUKHARI"), _n("ZIANI", "ZIYANI"),
         _n("LAHLOU", "LAHLOUH"), _n("MOUSSAOUI", "MOUSAOUI", "MUSAWI"),
         _n("EL HAJJI", "ELHAJJI", "HAJJI"), _n("OUCHEN", "OUCHENE"), _n("SABRI", "SABRY"),
         _n("AZIZI", "AZZIZI"), _n("BENJELLOUN", "BEN JELLOUN"), _n("KABBAJ", "KABAJ")],
        MAGHREB_MALE, MAGHREB_FEMALE,
        [_n("CASABLANCA", "DAR EL BEIDA"), _n("RABAT",), _n("FES", "FÈS", "FEZ"),
         _n("MARRAKECH", "MARRAKESH"), _n("TANGER", "TANGIER"), _n("OUJDA", "OUDJDA"),
         _n("AGADIR",), _n("MEKNES", "MEKNÈS")]),
    Nationality(
        "TUN", ("TUNISIE",), 0.06,
        [_n("BEN SALAH", "BENSALAH", "BEN-SALAH"), _n("BEN AMMAR", "BENAMMAR", "BEN AMAR"),
         _n("TRABELSI", "TRABELSY"), _n("JLASSI", "JELASSI", "DJLASSI"),
         _n("GHARBI", "GHARBY"), _n("HAMMAMI", "HAMAMI"), _n("BOUAZIZI", "BOUAZIZ"),
         _n("MEJRI", "MEDJRI"), _n("DRIDI", "DRIDY"), _n("BEN YOUSSEF", "BENYOUSSEF"),
         _n("SASSI", "SASSY"), _n("MANSOUR", "MANSOUER"), _n("KHEMIRI", "KHMIRI"),
         _n("BEN HASSINE", "BENHASSINE", "BEN HASSINE"), _n("CHEBBI", "CHABBI"),
         _n("AYARI", "AYARY"), _n("ZOUARI", "ZOUARY"), _n("FERCHICHI", "FERCHICHY"),
         _n("BEN ROMDHANE", "BEN ROMDANE", "BENROMDHANE")],
        MAGHREB_MALE, MAGHREB_FEMALE,
        [_n("TUNIS",), _n("SFAX",), _n("SOUSSE",), _n("KAIROUAN", "KAIRUAN"),
         _n("BIZERTE", "BENZART"), _n("GABES", "GABÈS"), _n("ZARZIS",)]),
    Nationality(
        "MLI", ("MALI",), 0.06, WEST_SURNAMES, WEST_MALE, WEST_FEMALE,
        [_n("BAMAKO",), _n("KAYES",), _n("SIKASSO",), _n("MOPTI",), _n("SEGOU", "SÉGOU"),
         _n("TOMBOUCTOU", "TIMBUKTU"), _n("GAO",), _n("NIORO DU SAHEL", "NIORO")]),
    Nationality(
        "SEN", ("SENEGAL", "SÉNÉGAL"), 0.04,
        [_n("DIOP", "DYOP"), _n("NDIAYE", "N'DIAYE", "NDIAY"), _n("FALL", "FAL"),
         _n("GUEYE", "GUÈYE", "GAYE"), _n("SARR", "SAR"), _n("DIOUF", "DJOUF"),
         _n("SECK", "SEK"), _n("THIAM", "TIAM"), _n("MBAYE", "M'BAYE", "MBAY"),
         _n("NDOUR", "N'DOUR"), _n("FAYE", "FAY"), _n("SY", "SYE"), _n("NIANG", "NIAN"),
         _n("DIENG", "DIENGUE"), _n("CISSE", "CISSÉ"), _n("KANE", "KANÉ"), _n("BA", "BAH"),
         _n("SAMB", "SAMBE"), _n("MBENGUE", "M'BENGUE"), _n("NDAO", "N'DAO")],
        [_n("MOUHAMADOU", "MOUHAMED", "MAMADOU"), _n("CHEIKH", "CHEIKHOU"),
         _n("ABDOULAYE", "ABDOULAY"), _n("IBRAHIMA", "IBRAHIM"), _n("MODOU", "MODU"),
         _n("PAPE", "PAPA"), _n("OUSMANE", "OUSMAN"), _n("MOUSTAPHA", "MUSTAPHA", "MUSTAFA"),
         _n("ALIOU", "ALIOUNE", "ALYOU"), _n("BABACAR", "BABAKAR"), _n("SERIGNE", "SERIGN"),
         _n("MALICK", "MALIK"), _n("EL HADJI", "ELHADJI", "EL HADJ"), _n("ASSANE", "HASSANE")],
        [_n("FATOU", "FATU"), _n("AWA", "AWAA"), _n("MARIAMA", "MARIAM"), _n("AMINATA",),
         _n("NDEYE", "N'DEYE", "NDÈYE"), _n("KHADY", "KHADI", "KADY"), _n("COUMBA", "KUMBA"),
         _n("ASTOU", "ASTA"), _n("ROKHAYA", "ROKAYA")],
        [_n("DAKAR",), _n("THIES", "THIÈS"), _n("TOUBA",), _n("KAOLACK", "KAOLAK"),
         _n("ZIGUINCHOR",), _n("SAINT-LOUIS", "SAINT LOUIS", "ST LOUIS")]),
    Nationality(
        "GIN", ("GUINEE", "GUINÉE"), 0.06, WEST_SURNAMES, WEST_MALE, WEST_FEMALE,
        [_n("CONAKRY", "KONAKRY"), _n("KANKAN",), _n("LABE", "LABÉ"), _n("KINDIA",),
         _n("NZEREKORE", "N'ZEREKORE", "NZÉRÉKORÉ"), _n("MAMOU",), _n("BOKE", "BOKÉ")]),
    Nationality(
        "CIV", ("COTE D'IVOIRE", "CÔTE D'IVOIRE", "COTE D IVOIRE", "CÔTE-D'IVOIRE"), 0.07,
        [_n("KOUADIO", "KOUADJO"), _n("KONE", "KONÉ", "KONEH"), _n("OUATTARA", "OUATARA",
                                                               "WATTARA"),
         _n("YAO", "YAHO"), _n("KOFFI", "KOFI"), _n("N'GUESSAN", "NGUESSAN", "N GUESSAN"),
         _n("BAMBA",), _n("KOUAME", "KOUAMÉ", "KWAME"), _n("TOURE", "TOURÉ"),
         _n("COULIBALY", "KOULIBALY"), _n("DIABATE", "DIABATÉ"), _n("KOUASSI", "KOUASI"),
         _n("AKA",), _n("GBAGBO",), _n("TRAORE", "TRAORÉ"), _n("SORO",), _n("YEO", "YÉO"),
         _n("DOSSO",), _n("FOFANA",), _n("KOUAKOU", "KWAKU")],
        WEST_MALE[:18] + [_n("JEAN-BAPTISTE", "JEAN BAPTISTE"), _n("KOUAME", "KWAME"),
                          _n("YANNICK", "YANICK"), _n("SERGE",), _n("AXEL",)],
        WEST_FEMALE + [_n("ADJOUA", "ADJOA"), _n("AFFOUE", "AFFOUÉ"), _n("GRACE", "GRÂCE")],
        [_n("ABIDJAN",), _n("BOUAKE", "BOUAKÉ"), _n("DALOA",), _n("YAMOUSSOUKRO",),
         _n("KORHOGO",), _n("SAN-PEDRO", "SAN PEDRO"), _n("MAN",)]),
    Nationality(
        "AFG", ("AFGHANISTAN",), 0.09,
        [_n("AHMADI", "AHMADY", "AHMEDI"), _n("MOHAMMADI", "MOHAMADI", "MUHAMMADI"),
         _n("HUSSAINI", "HOSSEINI", "HUSSEINI", "HOSSAINI"), _n("RAHIMI", "RAHIMY"),
         _n("KARIMI", "KARIMY"), _n("NOORI", "NOURI", "NURI"), _n("SAFI", "SAFFI"),
         _n("STANIKZAI", "STANAKZAI", "STANEKZAI"), _n("AHMADZAI", "AHMADZAY"),
         _n("SULTANI", "SOLTANI"), _n("RASOULI", "RASULI", "RASSOULI"),
         _n("HAIDARI", "HAIDERY", "HAYDARI", "HEYDARI"), _n("WARDAK", "WARDAG"),
         _n("NAZARI", "NAZARY"), _n("AMIRI", "AMIRY"), _n("JAFARI", "JAFFARI", "JAAFARI"),
         _n("HAKIMI", "HAKIMY"), _n("SADAT", "SADATT"), _n("POPAL", "POPALZAI"),
         _n("NIAZI", "NIAZY"), _n("KHAN",), _n("SHINWARI", "CHINWARI", "SHINWAREE"),
         _n("MANGAL",), _n("ZAZAI", "ZAZAY"), _n("QADERI", "QADIRI", "KADERI")],
        [MOHAMED, _n("ABDUL", "ABDOUL", "ABDOL"), _n("ZABIHULLAH", "ZABIULLAH", "ZABIOLLAH"),
         _n("NAJIBULLAH", "NAJIBOULLAH", "NADJIBULLAH"), _n("SAMIULLAH", "SAMIOULLAH"),
         AHMED, MUSTAFA, ALI, _n("HAMID", "HAMED", "HAMIDULLAH"), _n("JAVID", "JAWID", "JAWED"),
         _n("FARID", "FAREED"), _n("NASIR", "NASSER", "NASER"),
         _n("RAHMATULLAH", "RAHMATOULLAH", "RAHMATOLLAH"), _n("SAYED", "SAYYED", "SAID"),
         _n("MASOUD", "MASSOUD", "MASOOD"), _n("BILAL", "BELAL"), _n("KHALIL", "KHALILULLAH"),
         _n("OMID", "UMID"), _n("RAHIM", "RAHEEM"), _n("SHAFIQ", "SHAFIK", "CHAFIK"),
         _n("WAHEED", "WAHID", "OUAHID"), ABDELKADER, HUSSEIN, _n("ASADULLAH", "ASSADULLAH")],
        [FATIMA, _n("ZAHRA", "ZAHRAH"), MARIAM, _n("SHABNAM", "CHABNAM"),
         _n("FARIBA", "FAREEBA"), _n("NARGIS", "NARGES"), _n("SOMAYA", "SUMAYA", "SOUMAYA"),
         _n("ROYA", "ROYAH"), _n("PARWANA", "PARVANEH", "PARWANAH")],
        [_n("KABOUL", "KABUL"), _n("HERAT", "HÉRAT"), _n("KANDAHAR", "QANDAHAR"),
         _n("MAZAR-E-CHARIF", "MAZAR-I-SHARIF", "MAZAR E SHARIF"), _n("JALALABAD", "DJALALABAD"),
         _n("GHAZNI", "GHAZNEE"), _n("KUNDUZ", "KONDOUZ"), _n("BAGHLAN", "BAGLAN"),
         _n("LOGAR", "LOWGAR"), _n("NANGARHAR", "NANGRAHAR")],
        father_as_surname=False, unknown_birth_day=0.35),
    Nationality(
        "GEO", ("GEORGIE", "GÉORGIE"), 0.04,
        [_n("BERIDZE", "BERIDSE"), _n("KAPANADZE", "KAPANADSE"),
         _n("GELASHVILI", "GELACHVILI", "GELASCHWILI"), _n("MAISURADZE", "MAISOURADZE"),
         _n("GIORGADZE", "GUIORGADZE"), _n("LOMIDZE", "LOMIDSE"),
         _n("TSIKLAURI", "TSIKLAOURI", "ZIKLAURI"), _n("BOLKVADZE", "BOLKVADSE"),
         _n("KVARATSKHELIA", "KVARATSKHÉLIA", "KVARATSHELIA"), _n("NOZADZE",),
         _n("KHOKHASHVILI", "KHOKHACHVILI"), _n("NATSVLISHVILI", "NATSVLICHVILI"),
         _n("MAMULASHVILI", "MAMOULACHVILI"), _n("JAPARIDZE", "DJAPARIDZE", "DZHAPARIDZE"),
         _n("CHKHEIDZE", "TCHKHEIDZE"), _n("GOGIA", "GOGUIA"), _n("KVARACHELIA",),
         _n("TSERTSVADZE", "TSERTSVADSE"), _n("ABULADZE", "ABOULADZE")],
        [_n("GIORGI", "GUIORGUI", "GEORGI"), _n("DAVIT", "DAVID", "DAVITI"), _n("LEVAN", "LEWAN"),
         _n("NIKA", "NIKOLOZ"), _n("ZURAB", "ZOURAB"), _n("IRAKLI", "IRAKLY", "IRAKLII"),
         _n("GOCHA", "GOTCHA"), _n("MAMUKA", "MAMOUKA"), _n("LASHA", "LACHA"),
         _n("ALEKSANDRE", "ALEXANDRE", "ALEKSANDER"), _n("TEMUR", "TEIMURAZ", "TIMOUR"),
         _n("BESIK", "BESSIK", "BESO"), _n("VAKHTANG", "VAKHTANGUE"), _n("SHOTA", "CHOTA")],
        [_n("TAMAR", "TAMARA", "TAMARI"), _n("NINO", "NINA"), _n("KETEVAN", "KETEVANE", "KETI"),
         MARIAM, _n("ANA", "ANNA"), _n("NATIA", "NATHIA"), _n("EKATERINE", "EKATERINA"),
         _n("SALOME", "SALOMÉ"), _n("MAIA", "MAYA")],
        [_n("TBILISSI", "TBILISI", "TIFLIS"), _n("KOUTAISSI", "KUTAISI"),
         _n("BATOUMI", "BATUMI"), _n("ROUSTAVI", "RUSTAVI"), _n("ZOUGDIDI", "ZUGDIDI"),
         _n("GORI",), _n("POTI",), _n("TELAVI", "TÉLAVI")]),
    Nationality(
        "ALB", ("ALBANIE",), 0.04,
        [_n("HOXHA", "HODJA", "HOXA"), _n("SHEHU", "CHEHU", "SEHU"), _n("KRASNIQI", "KRASNIQUI"),
         _n("GASHI", "GACHI"), _n("BERISHA", "BERICHA"), _n("MUCA", "MUÇA", "MUCAJ"),
         _n("DOKA", "DOKAJ"), _n("LLESHI", "LECHI", "LESHI"), _n("KOLA", "KOLAJ"),
         _n("BALLA", "BALA"), _n("MEMA", "MEMAJ"), _n("PRENGA", "PRENGAJ"),
         _n("DUKA", "DUKAJ"), _n("CELA", "ÇELA", "TCHELA"), _n("XHAFERI", "DJAFERI", "XHAFERRI"),
         _n("MARKU", "MARKAJ"), _n("DEDA", "DEDAJ"), _n("ZENELI", "ZENELAJ"),
         _n("HASANI", "HASSANI"), _n("BEQIRI", "BEKIRI", "BECIRI")],
        [_n("ARDIT", "ARDITH"), _n("ERION", "ERJON"), _n("KLODIAN", "KLODJAN"),
         _n("FATJON", "FATION"), _n("ENDRIT", "ENDRI"), _n("ALBAN",), _n("ERALD", "ERALDO"),
         _n("KRISTI", "KRISTJAN", "CHRISTIAN"), _n("BESNIK", "BESNIKU"), _n("GENTIAN", "GENCI"),
         _n("ARBEN", "ARBER"), _n("DRITAN",), _n("ILIR",), _n("JURGEN", "JURGEN", "JÜRGEN"),
         _n("ELTON",), _n("MARJAN", "MARIAN")],
        [_n("BLERINA", "BLERINE"), _n("ERISA", "ERISSA"), _n("ANISA", "ANISSA"),
         _n("ELIRA",), _n("ENKELEDA", "ENKELEJDA"), _n("JONIDA", "JONIDE"),
         _n("KLEA", "KLÉA"), _n("MIRELA", "MIRELLA"), _n("ORNELA", "ORNELLA")],
        [_n("TIRANA", "TIRANE"), _n("DURRES", "DURRËS", "DURAZZO"), _n("SHKODER", "SHKODRA",
                                                                   "SCUTARI"),
         _n("ELBASAN",), _n("VLORE", "VLORA", "VALONA"), _n("FIER",), _n("KORCE", "KORÇA",
                                                                     "KORCA"),
         _n("BERAT",), _n("KUKES", "KUKËS")]),
    Nationality(
        "SYR", ("SYRIE",), 0.04,
        [_n("AL HASSAN", "ALHASSAN", "EL HASSAN"), _n("AL AHMAD", "AL AHMED", "ALAHMAD"),
         _n("HAMMOUD", "HAMOUD", "HAMMUD"), _n("AL KHALIL", "ALKHALIL", "EL KHALIL"),
         SOULEYMANE[3:] + ("SOULEIMANE",), _n("HADDAD", "HADAD"), _n("NASSER", "NASSAR", "NASER"),
         _n("AL ALI", "ALALI", "EL ALI"), ISMAIL, _n("DARWISH", "DARWICH", "DERVICHE"),
         _n("AL KHATIB", "KHATIB", "EL KHATIB"), _n("OTHMAN", "OSMAN", "OUTHMAN"),
         _n("AL MOUSSA", "AL MUSA", "ALMOUSSA"), _n("SAWAF", "SAOUAF"),
         _n("AL HALABI", "HALABI", "EL HALABI"), _n("KASSEM", "QASEM", "KACEM"),
         _n("ZEIN", "ZAIN", "ZEINE"), _n("AL OMAR", "ALOMAR", "AL OMER"),
         _n("SHEIKH", "CHEIKH", "AL SHEIKH"), _n("MOHAMMAD", "MOHAMAD", "MUHAMMAD")],
        [MOHAMED, AHMED, OMAR, KHALED, _n("MAHMOUD", "MAHMUD", "MAHMOOD"), HUSSEIN, ALI,
         YOUSSEF, _n("RAMI", "RAMY"), _n("BASSEL", "BASSIL", "BASEL"), _n("FADI", "FADY"),
         _n("TAREK", "TARIQ"), _n("AMMAR", "AMAR"), _n("FIRAS", "FERAS"), HASSAN,
         _n("ABDULRAHMAN", "ABDEL RAHMAN", "ABDERRAHMANE"), _n("OBADA", "UBADA", "OUBADA"),
         _n("WASSIM", "WASEEM", "WASIM")],
        [FATIMA, _n("AYA", "AYAH"), _n("RANIA", "RANYA"), _n("NOUR", "NUR", "NOOR"),
         _n("HIBA", "HEBA"), _n("RAMA", "RAMAH"), _n("LAMA", "LAMAH"), _n("DIMA", "DEEMA"),
         _n("RIMA", "REEMA")],
        [_n("DAMAS", "DAMASCUS", "DIMASHQ"), _n("ALEP", "ALEPPO", "HALAB"),
         _n("HOMS", "HOMSS"), _n("HAMA", "HAMAH"), _n("LATTAQUIE", "LATAKIA", "LATTAKIA"),
         _n("DEIR EZ-ZOR", "DEIR EZZOR", "DEIR EL ZOR"), _n("RAQQA", "RAKKA", "AR RAQQAH"),
         _n("IDLIB", "IDLEB"), _n("DERAA", "DARAA", "DERA")]),
    Nationality(
        "BGD", ("BANGLADESH",), 0.05,
        [_n("HOSSAIN", "HOSSEN", "HUSSAIN", "HOSEN"), _n("RAHMAN", "RAHAMAN", "REHMAN"),
         _n("ISLAM", "ISLAME"), _n("UDDIN", "UDDINE", "UDIN", "UDDEEN"),
         _n("AHMED", "AHMAD"), _n("MIAH", "MIA", "MEAH"), _n("KHAN",),
         _n("CHOWDHURY", "CHOUDHURY", "CHOWDHURI"), _n("SARKAR", "SARKER"), _n("ALAM",),
         _n("BHUIYAN", "BHUYAN", "BHUIYA"), _n("SHEIKH", "SHAIKH", "SK"),
         _n("MOLLA", "MOLLAH", "MULLAH"), _n("HAQUE", "HOQUE", "HAQ"), _n("BEPARI", "BEPARY"),
         _n("TALUKDER", "TALUKDAR"), _n("MRIDHA", "MIRDHA"), _n("AKTER", "AKHTER", "AKTAR")],
        [MOHAMED[:4] + ("MD", "MD."), _n("RAKIB", "RAKEEB"), _n("SHAHIN", "SHAHEEN", "CHAHIN"),
         _n("RUBEL", "RUBBEL"), _n("SOHEL", "SOHAIL", "SUHEL"), _n("JAHANGIR", "JAHANGUIR"),
         _n("ABDUL", "ABDOUL"), _n("KAMAL", "KAMEL"), _n("NAZMUL", "NAZMOUL"),
         _n("FARUK", "FAROOQ", "FAROUK"), _n("RIPON", "RIPAN"), _n("SUMON", "SHUMON"),
         _n("MASUD", "MASOOD", "MASSOUD"), _n("RASEL", "RASSEL", "RUSSEL"),
         _n("SHAFIQUL", "SHAFIKUL", "SAFIQUL"), _n("MONIR", "MONIRUL", "MONIRUZZAMAN")],
        [_n("BEGUM", "BEGOM"), _n("NASRIN", "NASREEN"), _n("SHARMIN", "SHARMEEN"),
         _n("RUMA", "ROUMA"), _n("TASLIMA", "TASLEEMA"), _n("SHIRIN", "SHIREEN")],
        [_n("DACCA", "DHAKA"), _n("SYLHET", "SILHET"), _n("CHITTAGONG", "CHATTOGRAM"),
         _n("COMILLA", "CUMILLA"), _n("NOAKHALI", "NOAKHALY"), _n("MAULVIBAZAR", "MOULVIBAZAR"),
         _n("SUNAMGANJ", "SUNAMGONJ"), _n("BARISAL", "BARISHAL")]),
    Nationality(
        "ERI", ("ERYTHREE", "ÉRYTHRÉE", "ERITREE"), 0.04,
        [_n("TESFAY", "TESFAYE", "TESFAI"), _n("GEBREMEDHIN", "GEBREMEDIHN", "GHEBREMEDHIN"),
         _n("HAILE", "HAILÉ", "HAYLE"), _n("BERHANE", "BRHANE", "BERHANE"),
         _n("KIDANE", "KIDANI", "KIDANE"), _n("TEKLE", "TECLE", "TEKLÉ"),
         _n("YOHANNES", "YOHANES", "JOHANNES"), _n("GEBRESELASSIE", "GEBRESELASIE",
                                                   "GHEBRESELLASSIE"),
         _n("WELDU", "WOLDU", "WELDE"), _n("MEHARI", "MEHARY"), _n("ASMEROM", "ASMAROM"),
         _n("GHIRMAY", "GIRMAY", "GHIRMAI"), _n("TEWELDE", "TEWOLDE", "TEWELDEBRHAN"),
         _n("ABRAHAM", "ABRAHAME"), _n("GEBREHIWET", "GEBREHIWOT", "GHEBREHIWET"),
         _n("HABTE", "HABTEAB", "HABTÉ"), _n("TSEGAY", "TSEGAYE", "TSEGAI"),
         _n("ZERAY", "ZERAI"), _n("MEBRAHTU", "MEBRAHTOM", "MEBRATU")],
        [_n("SAMUEL", "SAMMUEL"), _n("DANIEL", "DANYEL"), _n("MERHAWI", "MERHAWY"),
         _n("FILMON", "FILIMON", "PHILEMON"), _n("YONAS", "JONAS", "YONAS"),
         _n("ROBEL", "ROBIEL"), _n("AMANUEL", "EMMANUEL", "AMANOUEL"),
         _n("BINIAM", "BINIYAM", "BENIAM"), _n("MIKIAS", "MIKIEAS"), _n("NATNAEL", "NATNAIL"),
         _n("SEMERE", "SEMERÉ"), _n("HENOK", "HENOCK"), _n("AWET", "AWETT"),
         _n("MUSIE", "MUSSIE", "MOUSSIE"), _n("DAWIT", "DAVIT", "DAOUIT")],
        [_n("SEMHAR", "SEMHARE"), _n("HELEN", "HELLEN", "HÉLÈNE"), _n("LIDIA", "LIDYA"),
         _n("SABA", "SABBA"), _n("LWAM", "LUWAM"), _n("FREWEINI", "FREWENI"),
         _n("SELAM", "SELAMAWIT"), _n("YORDANOS", "YORDANOSE"), _n("RAHEL", "RACHEL")],
        [_n("ASMARA", "ASMERA"), _n("KEREN", "CHEREN"), _n("MENDEFERA", "MENDEFERRA"),
         _n("DEKEMHARE", "DEKEMHARÉ"), _n("MASSAOUA", "MASSAWA", "MITSIWA"), _n("BARENTU",),
         _n("ADI KEIH", "ADI QUALA")],
        father_as_surname=True, unknown_birth_day=0.15),
    Nationality(
        "SDN", ("SOUDAN",), 0.04,
        [ADAM, ABDALLAH, ISMAIL, IBRAHIMA[1:], _n("YAHYA", "YAHIA", "YEHIA"),
         _n("ISHAG", "ISHAQ", "ISSAK"), OUSMANE[3:], _n("HAROUN", "HARUN", "HAROUNE"),
         BOUBACAR[2:], MOHAMED, AHMED, _n("ABDELRAHIM", "ABDERRAHIM", "ABDUL RAHIM"),
         _n("ELNOUR", "EL NOUR", "ALNUR"), _n("MUSA", "MOUSSA"), _n("DAWOUD", "DAOUD", "DAWUD"),
         _n("HAMID", "HAMED"), _n("ELTAYEB", "EL TAYEB", "ALTAYEB")],
        [MOHAMED, AHMED, ADAM, ABDALLAH, _n("ABDELAZIZ", "ABDEL AZIZ", "ABDULAZIZ"),
         _n("MUTASIM", "MOUTASSIM", "MUTASSIM"), _n("ELSADIG", "EL SADIG", "ALSADIQ"),
         _n("MUJAHID", "MOUJAHID"), IBRAHIMA[1:], YOUSSEF, OMAR, ALI, HASSAN,
         _n("ABUBAKER", "ABOUBAKER", "ABUBAKR")],
        [FATIMA, _n("HAWA", "HAOUA"), _n("AMNA", "AMINA"), _n("ZAHARA", "ZAHRA"), MARIAM,
         _n("SAFIA", "SAFIYA"), _n("MAHA", "MAHAH")],
        [_n("KHARTOUM", "KHARTUM"), _n("OMDOURMAN", "OMDURMAN"), _n("NYALA", "NIALA"),
         _n("EL FASHER", "AL FASHIR", "EL FACHER"), _n("EL GENEINA", "AL JUNAYNAH", "GENEINA"),
         _n("KASSALA",), _n("PORT-SOUDAN", "PORT SUDAN", "PORT SOUDAN")],
        father_as_surname=True, unknown_birth_day=0.10),
    Nationality(
        "PAK", ("PAKISTAN",), 0.03,
        [_n("KHAN",), _n("AHMED", "AHMAD"), _n("ALI",), _n("HUSSAIN", "HUSSEIN", "HUSAIN"),
         _n("SHAH",), _n("BUTT", "BUT"), _n("CHAUDHRY", "CHAUDHARY", "CHOUDHRY"),
         _n("QURESHI", "KURESHI", "QURAISHI"), _n("MALIK", "MALICK"), _n("IQBAL", "IKBAL"),
         _n("RAZA", "REZA"), _n("JAVED", "JAVAID", "JAWED"), _n("MIRZA",),
         _n("ARSHAD", "ARCHAD"), _n("ASLAM", "ASLAME"), _n("BASHIR", "BACHIR", "BASHEER")],
        [MOHAMED[:5], _n("ALI",), _n("USMAN", "OUSMAN", "OSMAN"), _n("BILAL", "BELAL"),
         _n("IMRAN", "IMRANE"), _n("ASIF", "ASSIF"), _n("WAQAS", "WAKAS"), _n("ZEESHAN", "ZISHAN"),
         _n("KASHIF", "KACHIF"), _n("FAISAL", "FAYSAL", "FAYCAL"), _n("NADEEM", "NADIM"),
         _n("SHAHZAD", "CHAHZAD"), ABDELKADER[2:]],
        [FATIMA, _n("AYESHA", "AISHA", "AÏCHA"), _n("SANA", "SANAA"), _n("NOREEN", "NORINE")],
        [_n("LAHORE",), _n("KARACHI", "KARACHY"), _n("ISLAMABAD",), _n("RAWALPINDI",),
         _n("GUJRAT", "GOUJRAT"), _n("SIALKOT",), _n("PESHAWAR", "PECHAWAR")]),
    Nationality(
        "NGA", ("NIGERIA", "NIGÉRIA"), 0.04,
        [_n("OKAFOR", "OKAFFOR"), _n("ADEYEMI", "ADEYEMY"), _n("OKONKWO", "OKONKWOH"),
         _n("OLAWALE", "OLAWALÉ"), _n("EZE", "EZEH"), _n("NWOSU", "NWOSSU"),
         _n("BELLO", "BELO"), _n("IBRAHIM", "IBRAHIMA"), _n("OGUNDELE", "OGUNDELÉ"),
         _n("OSAGIE", "OSAGHIE"), _n("EDOSOMWAN",), _n("OMOREGIE", "OMOREGBE"),
         _n("IGBINOVIA", "IGBINOBA"), _n("AIGBE", "AIGBÉ"), _n("UWADIAE", "UWADIAYE"),
         _n("OSAZE", "OSAZEE")],
        [_n("CHINEDU", "CHINEDOU"), _n("EMEKA", "EMECA"), _n("OLUWASEUN", "OLUSEUN", "SEUN"),
         _n("IFEANYI", "IFEANYICHUKWU"), _n("OSAS", "OSASU"), _n("GODWIN", "GODWINE"),
         _n("FRIDAY",), _n("BLESSING",), _n("SUNDAY",), _n("PRECIOUS",), _n("EMMANUEL",
                                                                           "IMMANUEL")],
        [_n("BLESSING",), _n("JOY", "JOYE"), _n("FAITH", "FAITHE"), _n("GIFT",),
         _n("PRECIOUS",), _n("OSARUGUE", "OSARUGHE"), _n("EFOSA", "EFOSSA"),
         _n("PATIENCE",), _n("MERCY", "MERCI")],
        [_n("LAGOS",), _n("BENIN CITY", "BENIN-CITY"), _n("ABUJA",), _n("KANO",),
         _n("IBADAN",), _n("ENUGU",), _n("PORT HARCOURT", "PORT-HARCOURT")]),
]
# A few persons of other nationalities, with every name from the pools above: the weights
# need not sum to 1 (population.py normalises them).

NATIONALITY_BY_CODE = {n.iso3: n for n in NATIONALITIES}

# Nationalities a list may give instead of the file's (a neighbouring country, a
# confusion of codes).
CONFUSED_NATIONALITY = {"SDN": "SSD", "GIN": "GNB", "CIV": "BFA", "MLI": "SEN", "SEN": "GMB",
                        "DZA": "MAR", "MAR": "DZA", "TUN": "DZA", "AFG": "PAK", "PAK": "AFG",
                        "GEO": "ARM", "ALB": "MKD", "SYR": "IRQ", "BGD": "IND", "ERI": "ETH",
                        "NGA": "GHA"}
