#!/usr/bin/env python3
"""Writes the built-in pre-training corpus of the tiny base model (MoELoRA Streams).

Output (normally core/src/main/resources/io/moelora/core/pretrain):

  sentences.txt      short documents of generic, simple English separated by blank lines:
                     everyday facts, things and their kinds, days and numbers, and small
                     stories about people counting objects (statements, never questions)
  instructions.tsv   instruction<TAB>input<TAB>output rows of generic requests (opposites,
                     plurals, next day, counting, naming a thing of a kind, copying a word);
                     the Java side wraps each row in the LLM-Adapters prompt template

Why it looks like this: the tiny base should know bytes, words, simple sentences and the shape
of the instruction prompt, but not the built-in evaluation tasks. So the corpus never uses the
synthetic suites' wording: no "How many ... ?" questions, no "The answer is N", no
"answer1/answer2" choices, and the story names and objects differ from the suites' lists.
Arithmetic appears only inside narrative statements. Adapter fine-tuning is what teaches the
tasks. (core's PretrainCorpusTest checks that no synthetic test item occurs in the corpus.)

Standard library only; the output is deterministic (random.Random with a fixed seed).

    python3 tools/pretrain_corpus.py --out core/src/main/resources/io/moelora/core/pretrain
"""

import argparse
import os
import random

SEED = 20240611

PEOPLE = [("Anna", "she", "her"), ("Leo", "he", "his"), ("Nina", "she", "her"), ("Omar", "he", "his"),
          ("Rosa", "she", "her"), ("Paul", "he", "his"), ("Kate", "she", "her"), ("Ivan", "he", "his"),
          ("Zoe", "she", "her"), ("Hugo", "he", "his"), ("Lily", "she", "her"), ("Max", "he", "his"),
          ("Ruth", "she", "her"), ("Eli", "he", "his"), ("Alma", "she", "her"), ("Noah", "he", "his")]
OBJECTS = ["flowers", "buttons", "coins", "eggs", "cups", "toys", "rocks", "leaves", "bottles", "boxes",
           "feathers", "ribbons", "spoons", "bells", "nuts", "beads"]
PLACES = ["in the garden", "in the kitchen", "at the park", "at the shop", "at the beach", "at school", "on the farm",
          "at the library"]
TRIPS = ["school", "the park", "the shop", "the beach", "the farm", "the library", "the city", "the lake"]
FRIENDS = ["a friend", "her brother", "his sister", "a neighbour", "the teacher", "a classmate"]

KINDS = {
    "fruit": ["apple", "banana", "cherry", "grape", "lemon", "melon", "orange", "pear", "plum", "peach"],
    "animal": ["cat", "dog", "horse", "cow", "duck", "fox", "lion", "mouse", "owl", "sheep"],
    "tool": ["hammer", "saw", "spade", "wrench", "drill", "axe", "rake", "file"],
    "vehicle": ["car", "bus", "bike", "boat", "train", "truck", "plane", "van"],
    "color": ["red", "blue", "green", "yellow", "white", "black", "pink", "orange"],
    "instrument": ["piano", "drum", "flute", "guitar", "violin", "horn", "harp", "bell"],
}
FACTS = [
    "The sun is hot and bright.", "The moon shines at night.", "Water is wet.", "Ice is cold.",
    "Fire is hot.", "Snow is white.", "Grass is green.", "The sky is blue on a clear day.",
    "Birds can fly.", "Fish swim in water.", "Cows give milk.", "Bees make honey.",
    "Trees grow from seeds.", "Rain falls from clouds.", "A week has seven days.",
    "A year has twelve months.", "A day has twenty four hours.", "An hour has sixty minutes.",
    "We sleep at night.", "We eat breakfast in the morning.", "Bread is made from flour.",
    "A cat says meow.", "A dog says woof.", "A duck says quack.", "Lemons taste sour.",
    "Sugar tastes sweet.", "Salt tastes salty.", "A circle is round.", "A square has four sides.",
    "A triangle has three sides.", "Leaves fall in autumn.", "Flowers bloom in spring.",
    "Summer is warm.", "Winter is cold.", "Shoes go on our feet.", "Hats go on our heads.",
    "We read books.", "We write with a pen.", "We cut paper with scissors.", "A clock tells the time.",
    "Plants need water and light.", "People drink water every day.", "The sea is salty.",
    "Mountains are tall.", "A river flows to the sea.", "Stars shine in the night sky.",
    "A baby cat is a kitten.", "A baby dog is a puppy.", "A baby cow is a calf.", "A baby sheep is a lamb.",
]
OPPOSITES = [("hot", "cold"), ("big", "small"), ("up", "down"), ("day", "night"), ("fast", "slow"),
             ("open", "closed"), ("happy", "sad"), ("old", "new"), ("wet", "dry"), ("light", "dark"),
             ("full", "empty"), ("tall", "short"), ("hard", "soft"), ("early", "late"), ("in", "out"),
             ("left", "right"), ("loud", "quiet"), ("first", "last"), ("good", "bad"), ("near", "far")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
NOUNS = ["cup", "book", "tree", "house", "bird", "chair", "table", "window", "door", "shoe", "hat", "ball",
         "bell", "spoon", "road", "cloud", "star", "river", "stone", "coat"]
PLURALS = {"box": "boxes", "bus": "buses", "glass": "glasses", "child": "children", "mouse": "mice",
           "foot": "feet", "tooth": "teeth", "man": "men", "woman": "women", "leaf": "leaves", "knife": "knives",
           "berry": "berries", "baby": "babies", "city": "cities", "fox": "foxes", "wish": "wishes"}
ANIMAL_LINES = {"cat": "A cat is a small animal that likes to sleep in the sun.",
                "dog": "A dog is a friendly animal that likes to run and play.",
                "horse": "A horse is a big animal that can run very fast.",
                "cow": "A cow is a farm animal that eats grass and gives milk.",
                "duck": "A duck is a bird that can swim on a pond.",
                "fox": "A fox is a clever animal with a long red tail.",
                "lion": "A lion is a strong animal that lives in a group.",
                "mouse": "A mouse is a tiny animal that likes cheese.",
                "owl": "An owl is a bird that is awake at night.",
                "sheep": "A sheep is a farm animal with soft white wool."}


def article(word):
    return ("an " if word[0] in "aeiou" else "a ") + word


def cap(s):
    return s[0].upper() + s[1:]


def plural(word):
    irregular = {"mouse": "mice", "sheep": "sheep", "fish": "fish"}
    if word in irregular:
        return irregular[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def story(r):
    name, he, his = r.choice(PEOPLE)
    things = r.choice(OBJECTS)
    place = r.choice(PLACES)
    kind = r.randrange(6)
    if kind == 0:
        a, b = r.randint(2, 15), r.randint(2, 15)
        return (f"{name} has {a} {things}. {cap(he)} gets {b} more {things} {place}. "
                f"Now {he} has {a + b} {things}.")
    if kind == 1:
        a = r.randint(4, 18)
        b = r.randint(1, a - 2)
        return (f"{name} had {a} {things}. {cap(he)} gave {b} of them to {r.choice(FRIENDS)}. "
                f"{cap(he)} kept {a - b} {things}.")
    if kind == 2:
        a = r.randint(4, 18)
        b = r.randint(1, a - 2)
        return (f"There were {a} {things} on the table. {name} took {b} of them. "
                f"Then {a - b} {things} were left on the table.")
    if kind == 3:
        d = r.randrange(6)
        a, b = r.randint(2, 12), r.randint(2, 12)
        return (f"On {DAYS[d]} {name} collected {a} {things}. On {DAYS[d + 1]} {he} collected {b} more. "
                f"That makes {a + b} {things} in all.")
    if kind == 4:
        a, b = r.randint(2, 10), r.randint(2, 10)
        other, _, _ = r.choice([p for p in PEOPLE if p[0] != name])
        return (f"{name} and {other} met {place}. {name} brought {a} {things} and {other} brought {b}. "
                f"Together they had {a + b} {things}.")
    a, b = r.randint(2, 9), r.randint(2, 5)
    return (f"{name} put {a} {things} in each of {b} bags. "
            f"So {his} bags held {a * b} {things} together.")


def kind_doc(r):
    kind = r.choice(sorted(KINDS))
    members = r.sample(KINDS[kind], 3)
    first = cap(article(members[0]))
    lines = [f"{first} is {article(kind) if kind != 'color' else 'a color'}."]
    if kind == "color":
        lines = [f"{cap(members[0])} is a color.", f"{cap(members[1])} and {members[2]} are colors too."]
    else:
        lines.append(f"{cap(plural(members[1]))} and {plural(members[2])} are kinds of {plural(kind)} as well.")
        other = r.choice([k for k in sorted(KINDS) if k not in (kind, "color")])
        thing = r.choice(KINDS[other])
        lines.append(f"{cap(article(thing))} is not {article(kind)}; it is {article(other)}.")
    return " ".join(lines)


def facts_doc(r):
    return " ".join(r.sample(FACTS, r.randint(2, 4)))


def number_doc(r):
    kind = r.randrange(4)
    if kind == 0:
        start = r.randint(1, 12)
        seq = list(range(start, start + r.randint(4, 8)))
        return "We count: " + ", ".join(str(n) for n in seq) + "."
    if kind == 1:
        n = r.randint(1, 19)
        return f"{cap(WORDS[n])} comes after {WORDS[n - 1]}. The number {n + 1} is written as {WORDS[n]}."
    if kind == 2:
        d = r.randrange(7)
        return f"{DAYS[d]} comes before {DAYS[(d + 1) % 7]}. {DAYS[(d + 2) % 7]} comes after {DAYS[(d + 1) % 7]}."
    m = r.randrange(12)
    return f"{MONTHS[m]} is followed by {MONTHS[(m + 1) % 12]}. There are twelve months in a year."


def day_doc(r):
    name, he, his = r.choice(PEOPLE)
    kind = r.choice(sorted(KINDS["animal"]))
    fruit = r.choice(KINDS["fruit"])
    instrument = r.choice(KINDS["instrument"])
    color = r.choice(KINDS["color"])
    vehicle = r.choice(KINDS["vehicle"])
    parts = [f"{name} wakes up early.", f"{cap(he)} eats {article(fruit)} for breakfast.",
             f"{cap(he)} takes the {vehicle} to {r.choice(TRIPS)}.", f"{cap(his)} favourite color is {color}.",
             f"After lunch {he} plays the {instrument}.", f"{cap(he)} has a pet {kind}.",
             f"In the evening {he} reads a book and goes to bed."]
    return " ".join(parts[:r.randint(3, len(parts))])


def sentences(r, count):
    makers = [story, story, story, kind_doc, facts_doc, number_doc, day_doc]
    seen = set()
    out = []
    while len(out) < count:
        doc = r.choice(makers)(r)
        if doc not in seen:
            seen.add(doc)
            out.append(doc)
    return out


def instructions(r, count):
    rows = set()
    makers = []

    def opposite():
        a, b = r.choice(OPPOSITES)
        if r.random() < 0.5:
            a, b = b, a
        return (f"What is the opposite of {a}?", "", f"The opposite of {a} is {b}.")

    def plural_of():
        word = r.choice(sorted(PLURALS))
        return ("Write the plural of this word.", word, PLURALS[word])

    def next_day():
        d = r.randrange(7)
        return (f"Which day comes after {DAYS[d]}?", "", f"{DAYS[(d + 1) % 7]} comes after {DAYS[d]}.")

    def count_up():
        a = r.randint(1, 10)
        b = a + r.randint(2, 6)
        return (f"Count from {a} to {b}.", "", ", ".join(str(n) for n in range(a, b + 1)))

    def name_one():
        kind = r.choice(sorted(KINDS))
        return (f"Name {article(kind)}.", "", cap(r.choice(KINDS[kind])) + ".")

    def copy_word():
        word = r.choice(NOUNS)
        return ("Repeat the word in the input.", word, word)

    def describe():
        animal = r.choice(sorted(ANIMAL_LINES))
        return (f"Write one sentence about {article(animal)}.", "", ANIMAL_LINES[animal])

    def capital():
        word = r.choice(NOUNS)
        return ("Write the word in capital letters.", word, word.upper())

    makers = [opposite, plural_of, next_day, count_up, name_one, copy_word, describe, capital]
    out = []
    while len(out) < count:
        row = r.choice(makers)()
        if row not in rows:
            rows.add(row)
            out.append(row)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True)
    p.add_argument("--documents", type=int, default=420)
    p.add_argument("--instructions", type=int, default=120)
    args = p.parse_args()
    r = random.Random(SEED)
    os.makedirs(args.out, exist_ok=True)
    docs = sentences(r, args.documents)
    with open(os.path.join(args.out, "sentences.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n\n".join(docs) + "\n")
    rows = instructions(r, args.instructions)
    with open(os.path.join(args.out, "instructions.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            assert all("\t" not in c and "\n" not in c for c in row)
            f.write("\t".join(row) + "\n")
    print(f"{len(docs)} documents, {len(rows)} instructions")


if __name__ == "__main__":
    main()
