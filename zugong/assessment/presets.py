"""Indicator templates shipped with the product (loaded by a data migration)."""

# 五看五比 (DOMAIN M16): five dimensions, equal weights, scored out of 100 each. A line may end
# with True: the indicator of the political standard (political standard first, DOMAIN M48).
WUKAN_WUBI = {
    "name": "五看五比",
    "description": "看党性比政治素质、看能力比业务精疏、看态度比奉献精神、看作风比服务质量、"
                   "看实绩比工作成效",
    "indicators": [
        ("看党性 · 比政治素质", 20, 100,
         "政治立场坚定，对党忠诚；严守政治纪律和政治规矩；学习贯彻党的创新理论扎实。", True),
        ("看能力 · 比业务精疏", 20, 100,
         "熟悉组织工作政策法规，业务精通；能独立承担重点工作，解决问题能力强。"),
        ("看态度 · 比奉献精神", 20, 100,
         "工作积极主动，任劳任怨，勇于担当；服从安排，乐于奉献。"),
        ("看作风 · 比服务质量", 20, 100,
         "公道正派，清正廉洁；服务基层、服务干部、服务人才热情周到，群众满意。"),
        ("看实绩 · 比工作成效", 20, 100,
         "完成年度目标任务，工作有创新、有亮点，取得实际成效。"),
    ],
}

PRESETS = [WUKAN_WUBI]
