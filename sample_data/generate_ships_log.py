"""Write ships_log.txt: a synthetic ship's log, made from templates and word lists, for trying language models.

    python sample_data/generate_ships_log.py            # rewrites sample_data/ships_log.txt
    python sample_data/generate_ships_log.py --check    # exits 1 if the file differs from what the seed makes

Every ship, port, officer and event below was made up for this file. The text follows a few rules that a small
character model can pick up in a minute or two, and that show in its samples when it has: the date goes up by one
day per entry, the sea state follows the wind force, the barometer's "rising"/"falling" follows its last reading,
the hours of a day come in order, and each voyage opens with a departure and ends with an arrival.
"""

from __future__ import annotations

import random
from pathlib import Path

from write_or_check import write_or_check

SEED = 1887
TARGET_CHARACTERS = 200_000  # stop after the voyage that passes this
OUTPUT = Path(__file__).with_name("ships_log.txt")

SHIPS = ["Margaret Ann", "Curlew", "Good Intent", "Northern Star", "Halcyon", "Brothers Pride", "Wren",
         "Eliza Tarrant", "Seaflower", "Prosper"]
RIGS = ["schooner", "brig", "barque", "brigantine"]
MASTERS = ["Josiah Merrow", "Thomas Vell", "Amos Carrick", "Elias Penhale", "John Ashdown", "Henry Tolley"]
MATES = ["Mr. Hale", "Mr. Dunmore", "Mr. Pascoe", "Mr. Quill", "Mr. Rendle", "Mr. Sabine"]
PORTS = ["Port Ellery", "Skerrow", "Annaford", "Kelvish Bay", "Tresk Harbour", "Marrow Point", "Saltcombe",
         "Brennock", "Holm Sound", "Caddis Roads", "Fenwick Quay", "Lowen Haven"]
CARGOES = ["salt fish", "coal", "timber", "slate", "barley", "wool", "salt", "hides", "molasses", "iron rails",
           "oats", "china clay"]
HEADLANDS = ["Cape Farrow", "the Skerrow light", "Gannet Head", "the Brennock shoals", "Black Tor", "the Mewstone"]
VESSELS = ["a brig", "a schooner", "a barque", "a steamer", "a fishing lugger", "a full-rigged ship", "a ketch"]
MONTHS = [("January", 31), ("February", 28), ("March", 31), ("April", 30), ("May", 31), ("June", 30),
          ("July", 31), ("August", 31), ("September", 30), ("October", 31), ("November", 30), ("December", 31)]
COMPASS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
# Beaufort force -> sea state; the model can learn that the two go together.
# The compass points as (north, east) steps in tenths, so positions need no floating-point trigonometry.
HEADINGS = [(10, 0), (9, 4), (7, 7), (4, 9), (0, 10), (-4, 9), (-7, 7), (-9, 4), (-10, 0), (-9, -4), (-7, -7),
            (-4, -9), (0, -10), (4, -9), (7, -7), (9, -4)]
SEA = ["calm", "smooth", "smooth", "slight", "moderate", "moderate", "rough", "very rough", "high", "very high"]
SKY = ["clear", "fair", "cloudy", "overcast", "hazy", "squally", "rain", "drizzle", "fog"]
HOURS = ["04:00", "08:00", "12:00", "16:00", "20:00", "24:00"]

LIGHT_WORK = [
    "Set the {sail}.", "Shook out a reef in the {sail}.", "All hands at work on the rigging.",
    "Washed down decks.", "Crew employed tarring the standing rigging.", "Sounded the well, {inches} inches.",
    "Carpenter at work on the {boat}.", "Sailmaker repairing the {sail}.", "Watch employed scraping the masts.",
    "Served out fresh water, {gallons} gallons.", "Pumps attended, ship making little water.",
]
HEAVY_WORK = [
    "Took in the {sail}.", "Close reefed the {sail}.", "Handed the {sail} and hove to.",
    "Shipped a heavy sea over the {side} bow.", "Pumps going, {inches} inches in the well.",
    "Lashed the {boat} with extra gripes.", "Sent down the {yard} yard.", "Ship labouring heavily.",
]
SIGHTINGS = [
    "Sighted {vessel} to {side_word}, standing {direction}.", "Spoke {vessel}, {days} days out of {port}.",
    "Passed {vessel} hove to.", "Saw {headland} bearing {bearing}, distant {miles} miles.",
    "A flock of gulls about the ship.", "Porpoises playing under the bows.", "Passed much weed.",
]
SAILS = ["mainsail", "foresail", "outer jib", "inner jib", "fore topsail", "main topsail", "gaff topsail",
         "staysail", "spanker"]
BOATS = ["longboat", "jolly boat", "gig"]
YARDS = ["fore royal", "main royal", "fore topgallant"]
FAIR_REMARKS = [
    "{sky_cap} weather, a long swell from the {swell}.", "{sky_cap} all day; the glass {trend}.",
    "Wind steady and the ship going well.", "A good day's run; all hands well.",
    "Light airs and a lumpy sea; little progress.", "{mate} reports the cargo dry and well stowed.",
    "Fine clear night, stars bright.",
]
FOUL_REMARKS = [
    "Squalls at times with heavy rain.", "Strong wind and a heavy sea; ship labouring.",
    "{sky_cap} with a {trend} glass; made all snug for the night.", "{mate} reports the cargo dry and well stowed.",
    "Hard gale; the ship lying to under a close reefed {sail}.",
]


class Voyage:
    """The running state of one passage: date, weather and position, each changing a little per day."""

    def __init__(self, rng: random.Random, year: int, month: int, day: int) -> None:
        self.rng = rng
        self.year, self.month, self.day = year, month, day
        self.ship = rng.choice(SHIPS)
        self.rig = rng.choice(RIGS)
        self.master = rng.choice(MASTERS)
        self.mate = rng.choice(MATES)
        self.origin, self.destination = rng.sample(PORTS, 2)
        self.cargo = rng.choice(CARGOES)
        self.wind = rng.randrange(len(COMPASS))
        self.force = rng.randint(2, 5)
        self.glass = round(rng.uniform(29.60, 30.20), 2)
        self.trend = "steady"
        self.lat = rng.randint(38 * 60, 52 * 60)  # minutes of latitude north
        self.lon = rng.randint(5 * 60, 30 * 60)  # minutes of longitude west
        self.course = rng.randrange(len(COMPASS))

    def date(self) -> str:
        return f"{self.day} {MONTHS[self.month][0]} {self.year}"

    def next_day(self) -> None:
        self.day += 1
        if self.day > MONTHS[self.month][1]:
            self.day, self.month = 1, self.month + 1
            if self.month == 12:
                self.month, self.year = 0, self.year + 1

    def change_weather(self) -> None:
        rng = self.rng
        self.wind = (self.wind + rng.choice([-2, -1, -1, 0, 0, 0, 1, 1, 2])) % len(COMPASS)
        before = self.glass
        # A falling glass brings more wind: the pressure step leads the force step.
        step = round(rng.gauss(0, 0.08), 2)
        self.glass = round(min(30.60, max(28.90, self.glass + step)), 2)
        pull = 1 if self.glass < 29.40 else (-1 if self.glass > 30.10 else 0)
        self.force = min(9, max(0, self.force + pull + rng.choice([-1, 0, 0, 1])))
        self.trend = "rising" if self.glass > before else ("falling" if self.glass < before else "steady")

    def run(self) -> int:
        """Miles made good today; the position moves along the course."""
        speed = max(1, min(9, self.force + self.rng.randint(-1, 2)))
        miles = speed * 24 - self.rng.randint(0, 30)
        miles = max(12, miles)
        north, east = HEADINGS[self.course]
        # A flat-earth step in minutes of arc: good enough for numbers that drift sensibly from day to day.
        self.lat = min(60 * 60, max(30 * 60, self.lat + north * miles // 10))
        self.lon = min(40 * 60, max(1 * 60, self.lon - east * miles // 10))
        return miles


def position(lat: int, lon: int) -> str:
    return f"{lat // 60} {lat % 60:02d} N, {lon // 60} {lon % 60:02d} W"


def fill(template: str, rng: random.Random, voyage: Voyage) -> str:
    sky = rng.choice(SKY)
    return template.format(
        sail=rng.choice(SAILS), boat=rng.choice(BOATS), yard=rng.choice(YARDS), inches=rng.randint(2, 14),
        gallons=rng.randint(20, 60), side=rng.choice(["port", "starboard"]), vessel=rng.choice(VESSELS),
        side_word=rng.choice(["windward", "leeward"]), direction=rng.choice(["east", "west", "north", "south"]),
        days=rng.randint(3, 40), port=rng.choice(PORTS), headland=rng.choice(HEADLANDS),
        bearing=rng.choice(COMPASS), miles=rng.randint(4, 20), swell=rng.choice(["west", "south west", "north"]),
        sky_cap=sky.capitalize(), trend=voyage.trend, mate=voyage.mate,
    )


def hour_entry(rng: random.Random, voyage: Voyage) -> str:
    if voyage.force >= 7:
        pool = HEAVY_WORK
    elif voyage.force <= 4:
        pool = LIGHT_WORK + SIGHTINGS
    else:
        pool = LIGHT_WORK + HEAVY_WORK + SIGHTINGS
    return fill(rng.choice(pool), rng, voyage)


def day_entry(rng: random.Random, voyage: Voyage) -> str:
    voyage.change_weather()
    miles = voyage.run()
    lines = [
        f"{voyage.date()}. At sea, {voyage.rig} {voyage.ship}.",
        f"Wind {COMPASS[voyage.wind]}, force {voyage.force}. Sea {SEA[voyage.force]}. "
        f"Barometer {voyage.glass:.2f}, {voyage.trend}. Course {COMPASS[voyage.course]}.",
    ]
    for hour in sorted(rng.sample(HOURS, rng.randint(2, 4)), key=HOURS.index):
        if hour == "12:00":
            lines.append(f"12:00 Noon position {position(voyage.lat, voyage.lon)}. Run since yesterday {miles} miles.")
        else:
            lines.append(f"{hour} {hour_entry(rng, voyage)}")
    remarks = FOUL_REMARKS if voyage.force >= 6 else FAIR_REMARKS
    lines.append(f"Remarks: {fill(rng.choice(remarks), rng, voyage)}")
    if rng.random() < 0.15:
        voyage.course = (voyage.course + rng.choice([-1, 1])) % len(COMPASS)
        lines.append(f"Altered course to {COMPASS[voyage.course]}.")
    voyage.next_day()
    return "\n".join(lines)


def voyage_text(rng: random.Random, voyage: Voyage) -> str:
    hour = rng.choice(["05:30", "06:00", "07:15", "09:00", "14:00"])
    entries = [
        f"LOG OF THE {voyage.rig.upper()} {voyage.ship.upper()}, {voyage.master.upper()} MASTER",
        f"{voyage.date()}. Departed {voyage.origin} at {hour} with a cargo of {voyage.cargo}, bound for "
        f"{voyage.destination}. Pilot left us off {rng.choice(HEADLANDS)}.",
    ]
    voyage.next_day()
    for _ in range(rng.randint(8, 24)):
        entries.append(day_entry(rng, voyage))
    fathoms = rng.randint(5, 14)
    entries.append(
        f"{voyage.date()}. Made {voyage.destination} at {rng.choice(HOURS[:5])} and came to anchor in {fathoms} "
        f"fathoms. Discharging {voyage.cargo}. End of passage."
    )
    voyage.next_day()
    return "\n\n".join(entries) + "\n"


def generate(seed: int = SEED, target: int = TARGET_CHARACTERS) -> str:
    """The whole log: voyages one after another, with a few days in port between them."""
    rng = random.Random(seed)
    year, month, day = 1884, 2, 11
    voyages: list[str] = []
    size = 0
    while size < target:
        voyage = Voyage(rng, year, month, day)
        text = voyage_text(rng, voyage)
        voyages.append(text)
        size += len(text) + 1
        for _ in range(rng.randint(3, 12)):  # in port
            voyage.next_day()
        year, month, day = voyage.year, voyage.month, voyage.day
    return "\n".join(voyages)


def main() -> None:
    text = generate()
    write_or_check(OUTPUT, text, __doc__.splitlines()[0], f"{len(text):,} characters")


if __name__ == "__main__":
    main()
