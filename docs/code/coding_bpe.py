"""Code-round exercise: BPE training (learning merges) and encoding, on words with an end-of-word
marker as in Sennrich et al. (2016). Tested in tests/test_coding.py."""

# --8<-- [start:bpe]
from collections import Counter


def merge_pair(symbols, pair):
    """Replace every non-overlapping occurrence of pair in symbols, scanning left to right."""
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2                                             # 跳过已合并的两个：'aaa' -> 'aa' + 'a'
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def bpe_train(text, num_merges):
    """Learn up to num_merges merges from whitespace-separated words. Each step merges the most
    frequent adjacent pair (counted with word frequencies); ties go to the pair seen first."""
    vocab = {tuple(w) + ("</w>",): c for w, c in Counter(text.split()).items()}   # 词 -> 频次
    merges = []
    for _ in range(num_merges):
        pairs = Counter()
        for symbols, c in vocab.items():
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] += c
        if not pairs:
            break                                              # 每个词都已是一个符号
        best = max(pairs, key=pairs.get)
        merges.append(best)
        vocab = {merge_pair(s, best): c for s, c in vocab.items()}
    return merges


def bpe_encode(word, merges):
    """Segment one word: repeatedly apply the adjacent pair with the lowest merge rank (the order
    learned in training), as GPT-2's encoder does; stop when no adjacent pair is a merge."""
    rank = {pair: i for i, pair in enumerate(merges)}
    symbols = tuple(word) + ("</w>",)
    while len(symbols) > 1:
        pair = min(zip(symbols, symbols[1:]), key=lambda p: rank.get(p, float("inf")))
        if pair not in rank:
            break
        symbols = merge_pair(symbols, pair)
    return list(symbols)
# --8<-- [end:bpe]
