"""Traditional characters and pinyin annotations of mirrored pages, folded for label lookups.

Mirrors convert reports to traditional script (report-templates §6.2), some with the pinyin of
a character after it ("發(fā)布單位").  Label tables are written in simplified characters, so
every reader of labels (the normalizer's table labels, the extractor's header labels) folds
text with these before comparing.  The fold is one character for one character, so a position
in folded text is the same position in the original.
"""
from __future__ import annotations

import re

TRADITIONAL = (
    "規處決數總請範檔罰執強費許項開資機關審結維訴議復據內務國會護權確認獲類補對實際現個產業員發廢無與採購額證書問題條舉報訪讀屬險穩錄辦製計統號區縣鄉鎮門"
    "訟糾構組織況過詢複當繳係於轉繼續經後減萬單這應設為納"
    "題稱時間來歸載態狀詞鍵語種簽責聯體劃週頁範標準爲億負則佈"
)
SIMPLIFIED = (
    "规处决数总请范档罚执强费许项开资机关审结维诉议复据内务国会护权确认获类补对实际现个产业员发废无与采购额证书问题条举报访读属险稳录办制计统号区县乡镇门"
    "讼纠构组织况过询复当缴系于转继续经后减万单这应设为纳"
    "题称时间来归载态状词键语种签责联体划周页范标准为亿负则布"
)
TO_SIMPLIFIED = str.maketrans(TRADITIONAL, SIMPLIFIED)

# The pinyin of one character in brackets, as a mirror prints it after the character.
_SYLLABLE = "[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+"
PINYIN = re.compile(rf"\({_SYLLABLE}\)")
PINYIN_PATTERN = rf"(?:\({_SYLLABLE}\))?"  # where a label's character may carry its pinyin


def to_simplified(text: str) -> str:
    """The text with the traditional characters of labels folded; the same length."""
    return text.translate(TO_SIMPLIFIED)


def fold(text: str) -> str:
    """Simplified characters, pinyin annotations removed (for comparing labels)."""
    return PINYIN.sub("", to_simplified(text))
