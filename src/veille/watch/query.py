"""The keyword language of a watch: words, "exact phrases", AND / OR / NOT and parentheses.

    (Syrie OR Syria OR سوريا) AND (explosion OR attentat OR انفجار) AND NOT football

Operators may be written in English, French or Arabic (AND/ET/و, OR/OU/أو, NOT/SAUF/ليس, or a
leading '-'); two terms side by side mean AND; 'syri*' matches every word starting with
'syri'. Matching folds case, accents and Arabic spelling variants (enrich/textnorm.py), and an
Arabic word also matches behind its attached clitics (وسوريا, بسوريا), so a term is written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Union

from ..enrich.textnorm import ARABIC_PROCLITICS, fold, is_arabic, tokens

OPS = {"and": "AND", "et": "AND", "و": "AND", "or": "OR", "ou": "OR", "أو": "OR", "او": "OR", "not": "NOT", "sauf": "NOT",
       "ليس": "NOT", "non": "NOT"}
_LEX = re.compile(r'\s*(?:(?P<lp>\()|(?P<rp>\))|"(?P<phrase>[^"]*)"|“(?P<phrase2>[^”]*)”|«\s*(?P<phrase3>[^»]*?)\s*»|(?P<minus>-)(?=\S)|(?P<word>[^\s()"“”«»]+))')


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # folded tokens; several = a phrase
    prefix: bool = False


@dataclass(frozen=True)
class Op:
    op: str  # AND | OR | NOT
    args: tuple["Node", ...]


Node = Union[Term, Op]


class Text:
    """A text prepared once for many queries: its folded tokens and their clitic-free forms."""

    def __init__(self, text: str):
        self.tokens = tokens(fold(text))

    @cached_property
    def variants(self) -> list[set[str]]:
        out = []
        for tok in self.tokens:
            forms = {tok}
            if is_arabic(tok):
                for p in ARABIC_PROCLITICS:
                    if tok.startswith(p) and len(tok) - len(p) >= 2:
                        forms.add(tok[len(p):])
            out.append(forms)
        return out

    @cached_property
    def vocabulary(self) -> set[str]:
        return set().union(*self.variants) if self.tokens else set()

    def has(self, term: Term) -> bool:
        if len(term.words) == 1 and not term.prefix:
            return term.words[0] in self.vocabulary
        n = len(term.words)
        for i in range(len(self.variants) - n + 1):
            ok = True
            for j, w in enumerate(term.words):
                forms = self.variants[i + j]
                last = j == n - 1
                if not (w in forms or (last and term.prefix and any(f.startswith(w) for f in forms))):
                    ok = False
                    break
            if ok:
                return True
        return False


@dataclass(frozen=True)
class Query:
    root: Node
    source: str

    def matches(self, text: "Text | str") -> bool:
        if isinstance(text, str):
            text = Text(text)
        return _eval(self.root, text)

    def terms(self) -> list[Term]:
        out: list[Term] = []

        def walk(n: Node, negated: bool) -> None:
            if isinstance(n, Term):
                if not negated:
                    out.append(n)
            else:
                for a in n.args:
                    walk(a, negated ^ (n.op == "NOT"))

        walk(self.root, False)
        return out


def _eval(node: Node, text: Text) -> bool:
    if isinstance(node, Term):
        return text.has(node)
    if node.op == "AND":
        return all(_eval(a, text) for a in node.args)
    if node.op == "OR":
        return any(_eval(a, text) for a in node.args)
    return not _eval(node.args[0], text)


def _lex(source: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos = 0
    source = source.strip()
    while pos < len(source):
        m = _LEX.match(source, pos)
        if not m or m.end() == pos:
            raise QueryError(f"cannot read {source[pos:pos + 20]!r}")
        pos = m.end()
        if m.group("lp"):
            out.append(("(", None))
        elif m.group("rp"):
            out.append((")", None))
        elif m.group("minus"):
            out.append(("NOT", None))
        else:
            phrase = m.group("phrase") if m.group("phrase") is not None else m.group("phrase2") if m.group("phrase2") is not None else m.group("phrase3")
            if phrase is not None:
                words = tokens(fold(phrase))
                if not words:
                    raise QueryError("an empty phrase \"\"")
                out.append(("TERM", Term(words)))
                continue
            word = m.group("word")
            if word in OPS or word.lower() in OPS:
                if word.isupper() or is_arabic(word) or word.lower() in ("and", "or", "not"):
                    out.append((OPS.get(word, OPS.get(word.lower())), None))
                    continue
            prefix = word.endswith("*")
            words = tokens(fold(word.rstrip("*")))
            if not words:
                continue  # punctuation alone
            if prefix and len(words[-1]) < 3:
                raise QueryError(f"'{word}': a prefix needs at least 3 letters before '*'")
            out.append(("TERM", Term(words, prefix)))
    return out


def parse_query(source: str) -> Query:
    """Parse; raises QueryError with a short reason. Precedence: NOT > AND > OR."""
    toks = _lex(source)
    if not toks:
        raise QueryError("the query is empty")
    pos = 0

    def peek() -> str | None:
        return toks[pos][0] if pos < len(toks) else None

    def take() -> tuple[str, object]:
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def p_or() -> Node:
        args = [p_and()]
        while peek() == "OR":
            take()
            args.append(p_and())
        return args[0] if len(args) == 1 else Op("OR", tuple(args))

    def p_and() -> Node:
        args = [p_not()]
        while peek() in ("AND", "NOT", "TERM", "("):
            if peek() == "AND":
                take()
            args.append(p_not())
        return args[0] if len(args) == 1 else Op("AND", tuple(args))

    def p_not() -> Node:
        if peek() == "NOT":
            take()
            return Op("NOT", (p_not(),))
        return p_atom()

    def p_atom() -> Node:
        kind = peek()
        if kind == "(":
            take()
            node = p_or()
            if peek() != ")":
                raise QueryError("a '(' is never closed")
            take()
            return node
        if kind == "TERM":
            return take()[1]  # type: ignore[return-value]
        if kind is None:
            raise QueryError("the query ends where a word was expected")
        raise QueryError(f"'{kind if kind != ')' else ')'}' where a word was expected")

    root = p_or()
    if pos != len(toks):
        raise QueryError("an unmatched ')'" if peek() == ")" else f"unexpected '{peek()}'")
    if isinstance(root, Op) and root.op == "NOT":
        pass  # "NOT football" alone is allowed: everything but
    return Query(root, source)
