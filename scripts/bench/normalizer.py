"""Benchmark the Vietnamese normalizer on a generated corpus of announcement sentences; prints sentences/s.

Usage: python scripts/bench/normalizer.py [--sentences N] [--seed S] [--rounds R]
"""

from __future__ import annotations

import argparse
import random
import time

from broadcast.speech.normalize import normalize

TEMPLATES = [
    "Thực hiện Công văn số {num}/UBND-KGVX ngày {d}/{m}/{y} của UBND tỉnh về việc {topic}.",
    "Nghị định {num}/{y}/NĐ-CP quy định mức hỗ trợ {money}đ/hộ, tối đa {big} đồng.",
    "Kế hoạch số {num}-KH/BCĐ ngày {d}/{m}/{y} của BCĐ phòng, chống dịch COVID-19 huyện.",
    "Từ {h}h{mm} ngày {d}/{m}, Trạm Y tế xã tổ chức tiêm vắc xin cho {n} người từ {age} tuổi trở lên.",
    "Dự báo từ đêm {d}/{m} đến ngày {d2}/{m}/{y}, lượng mưa phổ biến {lo} - {hi}mm, gió giật cấp {wind}.",
    "Tỷ lệ hộ tham gia BHYT đạt {pct},{dec}%, tăng {small}% so với năm {y}.",
    "Mọi thông tin đề nghị liên hệ đường dây nóng 0205 {p4} {p3} hoặc gọi 114 khi có cháy.",
    "Sáng thứ {wd}, UBND xã phối hợp MTTQ và HĐND tổ chức hội nghị lần thứ {ord} khóa XV.",
    "F0 điều trị tại nhà uống thuốc {times} lần/ngày theo hướng dẫn của TTYT huyện.",
    "Giá lúa giống {money}đ/kg; diện tích gieo cấy {area} ha, sản lượng dự kiến {tons} tấn.",
    "Nhiệt độ thấp nhất {temp}-{temp2}°C, vùng núi cao có nơi dưới {cold} độ C.",
    "Giai đoạn {y} - {y2}, xã phấn đấu đạt chuẩn nông thôn mới, thu nhập {big} đồng/người/năm.",
    "Các trường THPT, THCS trên địa bàn nghỉ học từ {d}/{m} đến hết {d2}/{m}/{y}.",
    "Lực lượng CAND, QĐND và đội PCCC thường trực 24/24 giờ trong {n} ngày cao điểm.",
    "Xem chi tiết tại http://sttt.langson.gov.vn hoặc gửi thư về vanthu@langson.gov.vn.",
    "Đề nghị người dân thực hiện nghiêm 5K, không tụ tập quá {n} người; cách ly F1 trong {small} ngày.",
    "Tốc độ tối đa {speed} km/h trên đoạn đường dài {km} km qua trung tâm TT. Văn Quan.",
    "Chương II của Luật số {num}/{y}/QH14 quy định về ATGT và ANTT.",
]
TOPICS = [
    "tăng cường phòng, chống dịch",
    "phòng, chống thiên tai",
    "bảo đảm an toàn giao thông",
    "tuyên truyền chuyển đổi số",
    "phòng cháy chữa cháy rừng",
]


def sentence(rng: random.Random) -> str:
    """One announcement sentence with random figures."""
    figures = {
        "num": rng.randint(1, 3000),
        "d": rng.randint(1, 28),
        "d2": rng.randint(1, 28),
        "m": f"{rng.randint(1, 12):02d}",
        "y": rng.randint(2019, 2026),
        "y2": rng.randint(2026, 2030),
        "topic": rng.choice(TOPICS),
        "money": f"{rng.randint(1, 99)}.000",
        "big": f"{rng.randint(1, 9)}.{rng.randint(0, 999):03d}.000",
        "h": rng.randint(6, 17),
        "mm": rng.choice(["00", "15", "30", "45"]),
        "n": rng.randint(2, 2000),
        "age": rng.choice([12, 18, 50, 65]),
        "lo": rng.randint(50, 150),
        "hi": rng.randint(150, 400),
        "wind": rng.randint(6, 12),
        "pct": rng.randint(50, 99),
        "dec": rng.randint(1, 9),
        "small": rng.randint(1, 21),
        "p4": rng.randint(1000, 9999),
        "p3": rng.randint(100, 999),
        "wd": rng.randint(2, 7),
        "ord": rng.randint(1, 20),
        "times": f"0{rng.randint(1, 4)}",
        "area": rng.randint(10, 900),
        "tons": f"{rng.randint(1, 9)}.{rng.randint(0, 999):03d}",
        "temp": rng.randint(5, 15),
        "temp2": rng.randint(15, 25),
        "cold": rng.randint(0, 5),
        "speed": rng.choice([40, 50, 60, 80]),
        "km": rng.randint(1, 30),
    }
    return rng.choice(TEMPLATES).format(**figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20220219)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corpus = [sentence(rng) for _ in range(args.sentences)]
    chars = sum(len(s) for s in corpus)
    normalize("khởi động")  # load the lexicon and compile patterns outside the timing
    best = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        for text in corpus:
            normalize(text)
        best = min(best, time.perf_counter() - start)
    print(f"normalizer: {len(corpus)} sentences, {chars} characters, best of {args.rounds} rounds")
    print(f"  {best:.3f} s  {len(corpus) / best:,.0f} sentences/s  {chars / best:,.0f} characters/s")


if __name__ == "__main__":
    main()
