"""A small gazetteer: the places our clients write from, with the Czech case forms they are written in."""

from __future__ import annotations

# Canonical name → the forms a request may use (English, Czech cases, German). Matched case-sensitively
# as whole words, so "Most" the town does not collide with "most" the word: we leave such towns out.
PLACES = {
    "Prague": ["Prague", "Praha", "Prahy", "Praze", "Prahu", "Prag", "Praha 1", "Praha 2", "Praha 4", "Praha 5"],
    "Brno": ["Brno", "Brna", "Brně", "Brnu", "Brünn"],
    "Ostrava": ["Ostrava", "Ostravy", "Ostravě", "Ostravu"],
    "Plzeň": ["Plzeň", "Plzně", "Plzni", "Pilsen", "Plzen"],
    "Olomouc": ["Olomouc", "Olomouce", "Olomouci"],
    "Liberec": ["Liberec", "Liberce", "Liberci"],
    "České Budějovice": ["České Budějovice", "Českých Budějovic", "Českých Budějovicích", "Budweis"],
    "Hradec Králové": ["Hradec Králové", "Hradce Králové", "Hradci Králové"],
    "Pardubice": ["Pardubice", "Pardubic", "Pardubicích"],
    "Ústí nad Labem": ["Ústí nad Labem"],
    "Zlín": ["Zlín", "Zlína", "Zlíně"],
    "Jihlava": ["Jihlava", "Jihlavy", "Jihlavě"],
    "Karlovy Vary": ["Karlovy Vary", "Karlových Varů", "Karlových Varech"],
    "Kladno": ["Kladno", "Kladna", "Kladně"],
    "Opava": ["Opava", "Opavy", "Opavě"],
    "Teplice": ["Teplice", "Teplic", "Teplicích"],
    "Mladá Boleslav": ["Mladá Boleslav", "Mladé Boleslavi"],
    "Tábor": ["Tábor", "Tábora", "Táboře"],
    "Znojmo": ["Znojmo", "Znojma", "Znojmě"],
    "Prostějov": ["Prostějov", "Prostějova", "Prostějově"],
    "Přerov": ["Přerov", "Přerova", "Přerově"],
    "Frýdek-Místek": ["Frýdek-Místek", "Frýdku-Místku"],
    "Bratislava": ["Bratislava", "Bratislavy", "Bratislavě", "Pressburg"],
    "Košice": ["Košice", "Košic", "Košicích"],
    "Vienna": ["Vienna", "Wien", "Vídeň", "Vídně", "Vídni"],
    "Linz": ["Linz", "Linec", "Linci"],
    "Graz": ["Graz", "Štýrský Hradec"],
    "Berlin": ["Berlin", "Berlín", "Berlína", "Berlíně"],
    "Munich": ["Munich", "München", "Mnichov", "Mnichova", "Mnichově"],
    "Dresden": ["Dresden", "Drážďany", "Drážďan", "Drážďanech"],
    "Leipzig": ["Leipzig", "Lipsko", "Lipska", "Lipsku"],
    "Hamburg": ["Hamburg", "Hamburku"],
    "Frankfurt": ["Frankfurt", "Frankfurtu"],
    "Nuremberg": ["Nuremberg", "Nürnberg", "Norimberk", "Norimberku"],
    "Zurich": ["Zurich", "Zürich", "Curych", "Curychu"],
    "Warsaw": ["Warsaw", "Warszawa", "Varšava", "Varšavy", "Varšavě"],
    "Kraków": ["Kraków", "Krakow", "Krakov", "Krakova", "Krakově"],
    "Wrocław": ["Wrocław", "Wroclaw", "Vratislav", "Vratislavi"],
    "Budapest": ["Budapest", "Budapešť", "Budapešti"],
    "London": ["London", "Londýn", "Londýna", "Londýně"],
    "Paris": ["Paris", "Paříž", "Paříže", "Paříži"],
    "Amsterdam": ["Amsterdam", "Amsterdamu"],
    "Brussels": ["Brussels", "Brusel", "Bruselu", "Bruxelles"],
    "Lyon": ["Lyon", "Lyonu"],
    "Czech Republic": ["Czech Republic", "Czechia", "Česko", "Česku", "Česka", "České republice", "ČR"],
    "Slovakia": ["Slovakia", "Slovensko", "Slovensku", "Slovenska"],
    "Germany": ["Germany", "Deutschland", "Německo", "Německu", "Německa"],
    "Austria": ["Austria", "Österreich", "Rakousko", "Rakousku", "Rakouska"],
    "Poland": ["Poland", "Polsko", "Polsku", "Polska"],
    "France": ["France", "Francie", "Francii"],
    "United Kingdom": ["United Kingdom", "UK", "Velká Británie", "Velké Británii"],
}
COUNTRIES = {"Czech Republic", "Slovakia", "Germany", "Austria", "Poland", "France", "United Kingdom"}
LONGEST = max(len(form.split()) for forms in PLACES.values() for form in forms)


def forms() -> dict[str, str]:
    """Every written form → its canonical place name."""
    return {form: place for place, written in PLACES.items() for form in written}
