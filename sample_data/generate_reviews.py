"""Write reviews.csv: synthetic product and service reviews labelled positive, neutral or negative.

    python sample_data/generate_reviews.py            # rewrites sample_data/reviews.csv
    python sample_data/generate_reviews.py --check    # exits 1 if the file differs from what the seed makes

Every review is made up from the templates and word lists below, written for this repository. Most reviews say
plainly what they think, but some are hard on purpose, so that the scores stay honest:

- negation: "The battery was not bad at all." is positive, "I would not call the staff friendly." negative;
- reversal: "I expected the food to be awful, but it was superb." and its mirror image hold the same words with
  opposite labels, so only the order of the words tells them apart;
- mixed neutral reviews praise one thing and fault another;
- filler sentences ("Delivery took 3 days.") carry no opinion;
- some longer words have a typo (two letters swapped), so some words are rare or unseen, as in real text;
- 3% of the labels are wrong, as in real annotated data, so no model can score 100%.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from write_or_check import write_or_check

SEED = 2024
ROWS = 3000
LABEL_NOISE = 0.03
TYPO_RATE = 1 / 60  # of the words of 4+ letters without punctuation attached
LABEL_SHARES = (("positive", 0.45), ("negative", 0.35), ("neutral", 0.20))
OUTPUT = Path(__file__).with_name("reviews.csv")

# category -> (things reviewed, aspects of them)
CATEGORIES = {
    "kitchen": (["blender", "kettle", "coffee maker", "toaster", "frying pan", "knife set", "rice cooker"],
                ["the lid", "the handle", "the motor", "the finish", "the build quality", "the price", "the design"]),
    "electronics": (["headphones", "phone charger", "speaker", "e-reader", "webcam", "smart watch", "keyboard"],
                    ["the battery", "the sound", "the screen", "the setup", "the app", "the price", "the range"]),
    "hotel": (["hotel", "guest house", "hostel", "holiday cottage", "bed and breakfast"],
              ["the bed", "the breakfast", "the staff", "the location", "the shower", "the room", "the check-in"]),
    "restaurant": (["pizzeria", "curry house", "burger bar", "bakery", "sushi bar", "cafe"],
                   ["the food", "the service", "the portions", "the waiter", "the dessert", "the coffee",
                    "the menu"]),
    "services": (["plumber", "hairdresser", "courier", "garage", "cleaning company", "dentist", "removal firm"],
                 ["the staff", "the booking", "the price", "the communication", "the timing", "the result",
                  "the quote"]),
}
POSITIVE = ["great", "excellent", "brilliant", "superb", "lovely", "fantastic", "reliable", "impressive",
            "perfect", "wonderful", "solid", "first-rate", "good", "outstanding"]
NEGATIVE = ["terrible", "awful", "poor", "dreadful", "disappointing", "useless", "shoddy", "horrible", "flimsy",
            "unreliable", "rubbish", "appalling", "bad", "second-rate"]
NEUTRAL = ["okay", "fine", "average", "acceptable", "ordinary", "standard", "alright", "adequate", "so-so"]
ADVERBS = ["", "", "", "really ", "very ", "quite ", "pretty ", "truly ", "rather "]
VERDICTS = {
    "positive": ["Highly recommended.", "Would buy again.", "Five stars from me.", "I will definitely be back.",
                 "Worth every penny.", "Very happy with it.", "Can't fault it.", "Love it!"],
    "negative": ["Would not recommend.", "Avoid.", "One star.", "Never again.", "I want my money back.",
                 "Very disappointed.", "Sent it back after two days.", "Save your money."],
    "neutral": ["It does the job.", "Nothing special, nothing wrong.", "Fine for the price.",
                "Can't say much more yet.", "Three stars.", "Neither great nor bad.", "It is what it is."],
}
# Sentences with no opinion, for things bought and for places visited or people hired.
FILLERS = {
    "bought": ["I bought it for my {relative}.", "It arrived on {day}.", "Delivery took {n} days.",
               "I have had it for {n} weeks now.", "This is my second {thing}.", "I paid by card."],
    "visited": ["We went on a {day}.", "My {relative} recommended it.", "Booked online on a {day}.",
                "First time trying this {thing}.", "I paid by card.", "We were there {n} times this year."],
}
RELATIVES = ["sister", "dad", "mum", "brother", "partner", "neighbour", "son", "daughter", "friend", "boss"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OPPOSITE = {"positive": "negative", "negative": "positive"}


class Writer:
    """Draws the words of one review from the lists above, with a shared random generator."""

    def __init__(self, rng: random.Random, category: str) -> None:
        self.rng = rng
        self.things, self.aspects = CATEGORIES[category]
        self.fillers = FILLERS["bought" if category in ("kitchen", "electronics") else "visited"]
        self.thing = rng.choice(self.things)

    def word(self, polarity: str) -> str:
        return self.rng.choice({"positive": POSITIVE, "negative": NEGATIVE, "neutral": NEUTRAL}[polarity])

    def aspect(self) -> str:
        return self.rng.choice(self.aspects + [f"the {self.thing}"])

    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(relative=r.choice(RELATIVES), day=r.choice(DAYS), n=r.randint(2, 9), thing=self.thing)

    def plain(self, polarity: str) -> str:
        a, adverb, w = self.aspect(), self.rng.choice(ADVERBS), self.word(polarity)
        return self.rng.choice([f"{a} is {adverb}{w}.", f"{a} was {adverb}{w}.", f"The {self.thing} is {w}.",
                                f"{adverb}{w} {a[4:]}, honestly.", f"I found {a} {adverb}{w}."])

    def negated(self, polarity: str) -> str:
        a = self.aspect()
        if polarity == "positive":
            bad = self.word("negative")
            return self.rng.choice([f"{a} was not {bad} at all.", f"Nothing {bad} about {a}.",
                                    f"{a} is never {bad}.", f"I would not say {a} is {bad}."])
        if polarity == "negative":
            good = self.word("positive")
            return self.rng.choice([f"{a} is not {good}.", f"I would not call {a} {good}.",
                                    f"{a} was far from {good}.", f"{a} is hardly {good}."])
        return f"{a} is not {self.word('positive')}, but not {self.word('negative')} either."

    def reversal(self, polarity: str) -> str:
        # The same words in the other order would carry the other label.
        a, before, after = self.aspect(), self.word(OPPOSITE[polarity]), self.word(polarity)
        return self.rng.choice([f"I expected {a} to be {before}, but it was {after}.",
                                f"At first {a} seemed {before}, but after a week it is {after}.",
                                f"Others may find {a} {before}; to me it is {after}.",
                                f"I thought {a} would be {before}. It turned out {after}."])

    def mixed(self) -> str:
        first, second = self.rng.sample(["positive", "negative"], 2)
        return (f"{self.aspect()} is {self.word(first)}, but {self.aspect()} is {self.word(second)}, "
                f"so {self.rng.choice(['it evens out', 'I am in two minds', 'overall it is okay'])}.")

    def opinion(self, label: str) -> str:
        draw = self.rng.random()
        if label == "neutral":
            return self.plain("neutral") if draw < 0.55 else self.mixed() if draw < 0.85 else self.negated(label)
        return self.plain(label) if draw < 0.55 else self.negated(label) if draw < 0.75 else self.reversal(label)


def typos(rng: random.Random, text: str) -> str:
    """Swap two neighbouring letters inside some words, as hurried typing does."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) >= 4 and word.isalpha() and rng.random() < TYPO_RATE:
            at = rng.randint(1, len(word) - 2)
            words[i] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return " ".join(words)


def review(rng: random.Random, label: str, category: str) -> str:
    writer = Writer(rng, category)
    sentences = [writer.opinion(label) for _ in range(rng.choice([1, 1, 2, 2, 3]))]
    for filler in rng.sample(writer.fillers, rng.choice([0, 0, 1, 1, 2])):
        sentences.insert(rng.randint(0, len(sentences)), writer.fill(filler))
    if rng.random() < 0.4:
        sentences.append(rng.choice(VERDICTS[label]))
    text = typos(rng, " ".join(s[0].upper() + s[1:] for s in sentences))
    style = rng.random()
    if style < 0.08:
        return text.lower()
    if style < 0.12:
        return text.replace(".", "!")
    return text


def generate(seed: int = SEED, rows: int = ROWS) -> str:
    rng = random.Random(seed)
    labels = [name for name, _ in LABEL_SHARES]
    weights = [share for _, share in LABEL_SHARES]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["review_id", "category", "review", "sentiment"])
    for row in range(1, rows + 1):
        label = rng.choices(labels, weights)[0]
        category = rng.choice(sorted(CATEGORIES))
        text = review(rng, label, category)
        if rng.random() < LABEL_NOISE:
            label = rng.choice([other for other in labels if other != label])
        writer.writerow([row, category, text, label])
    return out.getvalue()


def main() -> None:
    text = generate()
    write_or_check(OUTPUT, text, __doc__.splitlines()[0], f"{ROWS:,} reviews")


if __name__ == "__main__":
    main()
