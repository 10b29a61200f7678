#!/usr/bin/env python3
"""Writes N synthetic persons in the format of shared/data/names-dev/persons.jsonl:
Vietnamese names with realistic family-name frequencies, stage names and handles.
Deterministic for a seed. usage: bench/gen_persons.py N [SEED] > persons.jsonl"""

import json
import random
import sys
import unicodedata

FAMILIES = [("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 51), ("Huỳnh", 40), ("Phan", 45),
            ("Vũ", 39), ("Võ", 35), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10),
            ("Lý", 5), ("Đinh", 6), ("Trương", 6), ("Lâm", 4), ("Mai", 3), ("Tạ", 2), ("Châu", 2), ("Quách", 1)]
MIDDLE = {"f": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Mai", "Bảo", "Khánh", "Kim", "Diệu"],
          "m": ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Anh", "Hoàng", "Quốc", "Gia", "Trọng", "Xuân"]}
GIVEN = {"f": ["Lan", "Hương", "Cúc", "Trang", "Linh", "Ngọc", "Thảo", "Hà", "Mai", "Vy", "Yến", "Nhung", "Hạnh", "Uyên",
               "Chi", "Ánh", "Diệp", "Hằng", "Loan", "Phương", "Quyên", "Thủy", "Tâm", "Trâm", "Xuân", "Giang", "My",
               "Nhi", "Oanh", "Duyên", "Huyền", "Khuê", "Liên", "Ngân", "Quỳnh", "Thư", "Tuyết", "Vân", "Hoa", "Đào"],
         "m": ["Dũng", "Hùng", "Tuấn", "Nam", "Huy", "Khoa", "Phúc", "Long", "Bảo", "Đạt", "Hiếu", "Khánh", "Sơn",
               "Thắng", "Tùng", "Việt", "Trung", "Quân", "Minh", "Phong", "Vinh", "Lộc", "Toàn", "Thịnh", "Hải", "Kiên",
               "Đông", "Nghĩa", "Tài", "Cường", "Duy", "Hưng", "Khang", "Luân", "Nhân", "Quý", "Sang", "Thái", "Trí", "Vũ"]}
SUFFIX = ["Review", "Vlog", "Kitchen", "Beauty", "Official", "TV", "Studio", "Channel", "Daily", "Mommy"]
PLATFORMS = ["tiktok", "facebook", "youtube", "instagram", "zalo"]


def ascii_(s):
    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower().replace(" ", "")


def main():
    n = int(sys.argv[1])
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    fam_names = [f for f, _ in FAMILIES]
    fam_weights = [w for _, w in FAMILIES]
    out = sys.stdout
    for i in range(n):
        g = "f" if rnd.random() < 0.55 else "m"
        fam = rnd.choices(fam_names, fam_weights)[0]
        mids = [rnd.choice(MIDDLE[g])]
        if rnd.random() < 0.25:
            second = rnd.choice(MIDDLE[g])
            if second != mids[0]:
                mids.append(second)
        giv = rnd.choice(GIVEN[g])
        name = " ".join([fam, *mids, giv])
        a_giv, a_fam = ascii_(giv), ascii_(fam)
        accounts = []
        for k, p in enumerate(rnd.sample(PLATFORMS, rnd.randint(1, 3))):
            style = rnd.randrange(4)
            h = [f"{a_giv}.{a_fam}{i}", f"{a_giv}{a_fam}.official{i}", f"{a_fam}_{a_giv}_{i}", f"{a_giv}.review{i}"][style]
            if len(h) > 24:
                h = f"{a_giv[:10]}{i}"
            accounts.append({"platform": p, "handle": "@" + h})
        rec = {"id": f"b{i:07d}", "name": name, "gender": g, "birth_year": rnd.randint(1960, 2008),
               "aliases": [f"{giv} {rnd.choice(SUFFIX)}"], "accounts": accounts}
        out.write(json.dumps(rec, ensure_ascii=False))
        out.write("\n")


if __name__ == "__main__":
    main()
