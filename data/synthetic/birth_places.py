"""Places of birth as GENESIS and AGDREF write them (CONTRACTS: free text, "town,
country"): a pool of towns per nationality, the capital and the big towns frequent, each
town with the spellings two administrations give it (Tbilissi / Tbilisi, Conakry /
Konakri). A person is born in one town, drawn once; each file or list writes it with its
own noise: another spelling, accents or case, the country only, nothing, or now and then
another town of the country (a slip, or the nearest big town given for a village)."""

from __future__ import annotations

import random

from anyascii import anyascii

from data.synthetic.realism import REALISM
from transforms.ingest.countries import french_name_of

# ISO 3166-1 alpha-3 -> towns as "spelling|other spelling|...", with a weight each (the
# capital first). Real towns, no person: which town a synthetic person is born in is drawn.
TOWNS: dict[str, tuple[tuple[str, int], ...]] = {
    "DZA": (("Alger|Algiers|El Djazaïr", 30), ("Oran|Wahran", 15), ("Constantine|Qacentina", 10),
            ("Annaba", 6), ("Sétif|Stif", 6), ("Blida", 5), ("Béjaïa|Bejaia|Bougie", 4),
            ("Tlemcen|Tilimsen", 4), ("Batna", 4), ("Tizi Ouzou|Tizi-Ouzou", 3)),
    "MAR": (("Rabat", 15), ("Casablanca|Dar el Beida", 30), ("Fès|Fez", 10),
            ("Marrakech|Marrakesh", 10), ("Tanger|Tangier", 8), ("Oujda|Oudjda", 6),
            ("Meknès|Meknes", 5), ("Agadir", 5), ("Nador", 4), ("Béni Mellal|Beni Mellal", 3)),
    "TUN": (("Tunis", 35), ("Sfax|Safaqis", 15), ("Sousse|Soussa", 12), ("Kairouan|Qayrawan", 6),
            ("Bizerte|Bizerta", 6), ("Gabès|Gabes", 5), ("Ariana", 5), ("Gafsa", 4),
            ("Ben Arous", 3), ("Médenine|Medenine", 3)),
    "SYR": (("Damas|Damascus|Dimashq", 30), ("Alep|Aleppo|Halab", 25), ("Homs|Hims", 12),
            ("Hama|Hamah", 8), ("Lattaquié|Latakia|Lattakia", 8), ("Deir ez-Zor|Deir Ezzor", 6),
            ("Raqqa|Rakka", 5), ("Idleb|Idlib", 5), ("Deraa|Daraa", 4)),
    "SDN": (("Khartoum|Khartum", 35), ("Omdurman|Umm Durman", 15), ("Nyala", 10),
            ("El Fasher|Al Fashir", 8), ("Port-Soudan|Port Sudan", 8), ("Kassala", 6),
            ("El Geneina|Al Junaynah", 6), ("Wad Madani", 5), ("El Obeid|Al Ubayyid", 5)),
    "EGY": (("Le Caire|Cairo|Al Qahira", 35), ("Alexandrie|Alexandria|Iskandariya", 20),
            ("Gizeh|Giza", 10), ("Port-Saïd|Port Said", 5), ("Suez", 5), ("Louxor|Luxor", 4),
            ("Assiout|Asyut", 5), ("Mansourah|Mansoura", 6), ("Tanta", 5)),
    "IRQ": (("Bagdad|Baghdad", 35), ("Mossoul|Mosul", 15), ("Bassora|Basra", 12),
            ("Erbil|Arbil|Hewler", 10), ("Kirkouk|Kirkuk", 8), ("Souleimaniye|Sulaymaniyah", 8),
            ("Nadjaf|Najaf", 5), ("Kerbala|Karbala", 5)),
    "AFG": (("Kaboul|Kabul", 30), ("Hérat|Herat", 15), ("Kandahar|Qandahar", 12),
            ("Mazar-e Charif|Mazar-i-Sharif", 10), ("Jalalabad|Djalalabad", 10),
            ("Kunduz|Koundouz", 7), ("Ghazni", 6), ("Baghlan", 5), ("Khost|Khowst", 5)),
    "PAK": (("Islamabad", 10), ("Karachi", 25), ("Lahore", 20), ("Peshawar|Pechawar", 12),
            ("Rawalpindi", 8), ("Faisalabad", 8), ("Quetta", 6), ("Multan|Moultan", 6),
            ("Gujrat", 5)),
    "GIN": (("Conakry|Konakri|Konakry", 40), ("Kankan", 10), ("Nzérékoré|Nzerekore", 8),
            ("Kindia", 8), ("Labé|Labe", 8), ("Boké|Boke", 6), ("Mamou", 6), ("Kissidougou", 4),
            ("Guéckédou|Gueckedou", 4)),
    "CIV": (("Abidjan", 40), ("Bouaké|Bouake", 12), ("Yamoussoukro", 8), ("Daloa", 8),
            ("Korhogo", 7), ("San-Pédro|San Pedro", 6), ("Man", 5), ("Gagnoa", 5),
            ("Divo", 4)),
    "MLI": (("Bamako", 40), ("Kayes", 12), ("Sikasso", 10), ("Ségou|Segou", 10),
            ("Mopti", 8), ("Koutiala", 6), ("Tombouctou|Timbuktu", 4), ("Gao", 5),
            ("Kati", 5)),
    "SEN": (("Dakar", 40), ("Touba", 10), ("Thiès|Thies", 10), ("Saint-Louis|Saint Louis", 8),
            ("Kaolack", 8), ("Ziguinchor", 8), ("Mbour|M'Bour", 6), ("Rufisque|Rufisk", 5),
            ("Diourbel", 5)),
    "NGA": (("Abuja", 12), ("Lagos", 30), ("Kano", 12), ("Ibadan", 10),
            ("Port Harcourt|Port-Harcourt", 10), ("Benin City|Bénin City", 10),
            ("Kaduna", 6), ("Enugu", 6), ("Onitsha", 5)),
    "CMR": (("Yaoundé|Yaounde|Yaunde", 30), ("Douala|Duala", 30), ("Garoua|Garua", 8),
            ("Bamenda", 8), ("Bafoussam", 7), ("Maroua|Marua", 6), ("Ngaoundéré|Ngaoundere", 5),
            ("Kumba", 4), ("Nkongsamba", 4)),
    "COD": (("Kinshasa", 40), ("Lubumbashi", 12), ("Mbuji-Mayi|Mbujimayi", 10),
            ("Kisangani", 8), ("Goma", 8), ("Bukavu", 8), ("Kananga", 6), ("Matadi", 5),
            ("Kolwezi", 4)),
    "COG": (("Brazzaville", 50), ("Pointe-Noire|Pointe Noire", 25), ("Dolisie|Loubomo", 8),
            ("Nkayi|Nkaï", 6), ("Owando", 5), ("Ouesso|Wesso", 5)),
    "CAF": (("Bangui", 50), ("Bimbo", 10), ("Berbérati|Berberati", 10), ("Carnot", 7),
            ("Bambari", 8), ("Bouar", 7), ("Bossangoa", 6)),
    "AGO": (("Luanda|Louanda", 45), ("Huambo|Houambo", 12), ("Lobito", 10),
            ("Benguela|Benguéla", 10), ("Lubango|Loubango", 10), ("Malanje|Malange", 7),
            ("Cabinda", 6)),
    "BGD": (("Dacca|Dhaka", 35), ("Chittagong|Chattogram", 15), ("Sylhet|Sylhét", 15),
            ("Khulna", 8), ("Rajshahi", 7), ("Comilla|Cumilla", 7), ("Barisal|Barishal", 6),
            ("Noakhali", 5)),
    "LKA": (("Colombo|Kolombo", 35), ("Jaffna|Jaffnah", 20), ("Kandy|Kandi", 10),
            ("Batticaloa|Batticaloe", 10), ("Trincomalee|Trinquemalay", 8),
            ("Vavuniya", 8), ("Negombo", 6)),
    "IND": (("New Delhi|Delhi|New-Delhi", 20), ("Bombay|Mumbai", 15), ("Madras|Chennai", 12),
            ("Calcutta|Kolkata", 10), ("Bangalore|Bengaluru", 8), ("Pondichéry|Puducherry", 8),
            ("Amritsar", 8), ("Jalandhar|Jullundur", 7), ("Hyderabad|Haiderabad", 7)),
    "GEO": (("Tbilissi|Tbilisi|Tiflis", 45), ("Koutaïssi|Kutaisi|Kutaissi", 15),
            ("Batoumi|Batumi", 12), ("Roustavi|Rustavi", 8), ("Zougdidi|Zugdidi", 8),
            ("Gori", 6), ("Poti", 6)),
    "ALB": (("Tirana|Tiranë", 40), ("Durrës|Durres|Durazzo", 15), ("Vlorë|Vlora|Valona", 10),
            ("Elbasan", 10), ("Shkodër|Shkodra|Scutari", 10), ("Fier", 8), ("Korçë|Korca", 7)),
    "RUS": (("Moscou|Moscow|Moskva", 25), ("Grozny|Groznyï|Groznyi", 25),
            ("Saint-Pétersbourg|Saint Petersburg", 10), ("Makhatchkala|Makhachkala", 10),
            ("Nazran", 8), ("Vladikavkaz", 7), ("Kazan", 5), ("Rostov-sur-le-Don|Rostov", 5),
            ("Goudermes|Gudermes", 5)),
    "ARM": (("Erevan|Yerevan|Iérévan", 50), ("Gyumri|Gumri|Léninakan", 15),
            ("Vanadzor|Vanadzore", 12), ("Vagharchapat|Vagharshapat", 8), ("Abovian|Abovyan", 7),
            ("Kapan|Ghapan", 8)),
    "TUR": (("Ankara", 15), ("Istanbul|Constantinople", 30), ("Izmir|Smyrne", 10),
            ("Diyarbakir|Diyarbakır", 10), ("Gaziantep|Antep", 8), ("Kayseri|Kaïseri", 6),
            ("Maras|Kahramanmaraş", 6), ("Adana", 8), ("Konya|Konia", 7)),
    "HTI": (("Port-au-Prince|Port au Prince", 45), ("Cap-Haïtien|Cap Haitien", 15),
            ("Gonaïves|Gonaives", 10), ("Les Cayes|Cayes", 10), ("Jacmel", 7),
            ("Saint-Marc|Saint Marc", 7), ("Jérémie|Jeremie", 6)),
    "ERI": (("Asmara|Asmera", 50), ("Keren|Kéren", 15), ("Massaoua|Massawa|Mitsiwa", 12),
            ("Mendefera", 8), ("Barentu|Barentou", 8), ("Assab|Aseb", 7)),
    "ETH": (("Addis-Abeba|Addis Ababa|Addis Abeba", 45), ("Dire Dawa|Diré Daoua", 12),
            ("Gondar|Gonder", 10), ("Mekele|Mekelle|Makalé", 10), ("Bahir Dar|Bahar Dar", 8),
            ("Awasa|Hawassa", 8), ("Jimma|Djimma", 7)),
    "SOM": (("Mogadiscio|Mogadishu|Muqdisho", 50), ("Hargeisa|Hargeysa", 15),
            ("Kismaayo|Kismayo", 10), ("Baidoa|Baydhabo", 10), ("Berbera", 8),
            ("Beledweyne|Belet Weyne", 7)),
    "ROU": (("Bucarest|Bucuresti|București", 35), ("Cluj-Napoca|Cluj Napoca", 12),
            ("Iasi|Iași|Jassy", 12), ("Timisoara|Timișoara|Temesvar", 10),
            ("Constanta|Constanța", 10), ("Craiova", 8), ("Brasov|Brașov", 8),
            ("Galati|Galați", 5)),
    "BGR": (("Sofia|Sofiya", 40), ("Plovdiv|Philippopolis", 15), ("Varna", 15),
            ("Bourgas|Burgas", 10), ("Roussé|Ruse|Rousse", 8), ("Stara Zagora", 7),
            ("Pleven", 5)),
    "POL": (("Varsovie|Warszawa|Warsaw", 30), ("Cracovie|Kraków|Krakow", 15),
            ("Lodz|Łódź", 12), ("Wroclaw|Wrocław|Breslau", 10), ("Poznan|Poznań", 10),
            ("Gdansk|Gdańsk|Dantzig", 10), ("Szczecin|Stettin", 7), ("Lublin", 6)),
    "ITA": (("Rome|Roma", 25), ("Milan|Milano", 20), ("Naples|Napoli", 15), ("Turin|Torino", 12),
            ("Palerme|Palermo", 10), ("Gênes|Genova|Genes", 7), ("Bologne|Bologna", 6),
            ("Florence|Firenze", 5)),
    "ESP": (("Madrid", 30), ("Barcelone|Barcelona", 25), ("Valence|Valencia", 12),
            ("Séville|Sevilla|Seville", 10), ("Saragosse|Zaragoza", 8), ("Malaga|Málaga", 8),
            ("Murcie|Murcia", 7)),
    "PRT": (("Lisbonne|Lisboa|Lisbon", 35), ("Porto|Oporto", 25), ("Braga", 10),
            ("Coimbra|Coïmbre", 10), ("Funchal", 7), ("Setúbal|Setubal", 7), ("Faro", 6)),
}


def draw_birth_town(nationality: str, rng: random.Random) -> str | None:
    """A person's town of birth (its spellings, "A|B|..."), the capital and big towns
    the most frequent; None for a nationality without a pool."""
    towns = TOWNS.get(nationality)
    if not towns:
        return None
    return rng.choices([t for t, _ in towns], weights=[w for _, w in towns])[0]


def written_birth_place(nationality: str, town: str | None, system: str,
                        rng: random.Random) -> str:
    """LIEU_NAISSANCE as `system` ("genesis" or "agdref") writes the person's `town`:
    "town, country", the town in one of its spellings, its accents and case as the
    system's clerk keyed them; sometimes the country only, sometimes nothing, and at the
    declared rate another town of the country."""
    draw = rng.random()
    if draw < REALISM[f"{system}_birth_place_missing"]:
        return ""
    country = french_name_of(nationality) if nationality else ""
    if town is None or draw < (REALISM[f"{system}_birth_place_missing"]
                               + REALISM[f"{system}_birth_place_country_only"]):
        return _cased(country, rng, system)
    if rng.random() < REALISM["birth_place_other_town"]:
        others = [t for t, _ in TOWNS[nationality] if t != town]
        town = rng.choice(others)
    spellings = town.split("|")
    spelling = spellings[0]
    if len(spellings) > 1 and rng.random() < REALISM["birth_place_other_spelling"]:
        spelling = rng.choice(spellings[1:])
    if rng.random() < 0.5:
        spelling = anyascii(spelling)
    return _cased(f"{spelling}, {country.title() if system == 'agdref' else country}",
                  rng, system)


def _cased(text: str, rng: random.Random, system: str) -> str:
    """GENESIS mostly in capitals, AGDREF as keyed (capitals or not)."""
    capitals = rng.random() < (0.8 if system == "genesis" else 0.4)
    return text.upper() if capitals else text
