"""Thai given names and surnames with their romanised (RTGS) spelling, for the demo department."""

FIRST_NAMES = [
    ("สมชาย", "Somchai"), ("สมศักดิ์", "Somsak"), ("ประเสริฐ", "Prasoet"), ("วิชัย", "Wichai"),
    ("สุรชัย", "Surachai"), ("อนุชา", "Anucha"), ("ธนากร", "Thanakon"), ("ณัฐวุฒิ", "Nattawut"),
    ("กิตติพงษ์", "Kittiphong"), ("ชัยวัฒน์", "Chaiwat"), ("พงศกร", "Phongsakon"), ("วีระพงษ์", "Wiraphong"),
    ("อภิชาติ", "Aphichat"), ("ศุภชัย", "Supphachai"), ("ธีรวัฒน์", "Thirawat"), ("ปิยะพงษ์", "Piyaphong"),
    ("เอกชัย", "Ekkachai"), ("ภานุวัฒน์", "Phanuwat"), ("จักรพันธ์", "Chakkraphan"), ("สุทธิพงษ์", "Sutthiphong"),
    ("สุดารัตน์", "Sudarat"), ("กาญจนา", "Kanchana"), ("วันเพ็ญ", "Wanphen"), ("ศิริพร", "Siriphon"),
    ("นภัสวรรณ", "Naphatsawan"), ("ปวีณา", "Pawina"), ("อรทัย", "Orathai"), ("จิราพร", "Chiraphon"),
    ("พิมพ์ชนก", "Phimchanok"), ("รัตนา", "Rattana"), ("สุภาพร", "Suphaphon"), ("ณัฐธิดา", "Natthida"),
    ("มาลัย", "Malai"), ("วรรณา", "Wanna"), ("เบญจวรรณ", "Benchawan"), ("ชนิดา", "Chanida"),
    ("ปรียานุช", "Priyanut"), ("ธิดารัตน์", "Thidarat"), ("อัญชลี", "Anchali"), ("กมลชนก", "Kamonchanok"),
]  # fmt: skip

LAST_NAMES = [
    ("ใจดี", "Chaidi"), ("ศรีสุข", "Sisuk"), ("แก้วมณี", "Kaeomani"), ("บุญมา", "Bunma"),
    ("ทองดี", "Thongdi"), ("สุวรรณรัตน์", "Suwannarat"), ("วงศ์ไทย", "Wongthai"), ("พึ่งบุญ", "Phuengbun"),
    ("ศรีวงศ์", "Siwong"), ("จันทร์เพ็ญ", "Chanphen"), ("มั่นคง", "Mankhong"), ("รุ่งเรือง", "Rungrueang"),
    ("สายทอง", "Saithong"), ("ประเสริฐสุข", "Prasoetsuk"), ("กิตติศักดิ์", "Kittisak"), ("เพชรรัตน์", "Phetcharat"),
    ("บุญเรือง", "Bunrueang"), ("ชัยมงคล", "Chaimongkhon"), ("นาคสวัสดิ์", "Naksawat"), ("อินทร์แก้ว", "Inkaeo"),
    ("พรหมมา", "Phromma"), ("ทองคำ", "Thongkham"), ("แสงอรุณ", "Saeng-arun"), ("วัฒนกุล", "Watthanakun"),
    ("ธนสาร", "Thanasan"), ("ศักดิ์สิทธิ์", "Saksit"), ("สมบูรณ์", "Sombun"), ("เจริญผล", "Charoenphon"),
    ("ปัญญาดี", "Panyadi"), ("ลิ้มประเสริฐ", "Limprasoet"), ("ตั้งใจ", "Tangchai"), ("หอมจันทร์", "Homchan"),
    ("บัวแก้ว", "Buakaeo"), ("สิทธิชัย", "Sitthichai"), ("เรืองศรี", "Rueangsi"), ("มีสุข", "Misuk"),
    ("คงเจริญ", "Khongcharoen"), ("ศรีประเสริฐ", "Siprasoet"), ("อุดมสุข", "Udomsuk"), ("ทรัพย์มาก", "Sapmak"),
]  # fmt: skip

# Bureaus and divisions of the demo department, each with its sections: (code, Thai, English).
STRUCTURE = [
    (("SEC", "สำนักงานเลขานุการกรม", "Office of the Secretary"), [
        ("สื่อสารองค์กร", "Corporate Communication"), ("ช่วยอำนวยการ", "Executive Support"),
        ("สารบรรณและเอกสาร", "Records and Correspondence"),
    ]),
    (("HRD", "กองการเจ้าหน้าที่", "Personnel Division"), [
        ("สรรหาและบรรจุ", "Recruitment"), ("พัฒนาบุคลากร", "Staff Development"),
        ("ทะเบียนประวัติ", "Personnel Records"),
    ]),
    (("FIN", "กองคลัง", "Finance Division"), [
        ("การเงินและบัญชี", "Finance and Accounting"), ("พัสดุ", "Procurement"),
        ("งบประมาณ", "Budget"),
    ]),
    (("PLN", "กองยุทธศาสตร์และแผนงาน", "Strategy and Planning Division"), [
        ("นโยบายและแผน", "Policy and Planning"), ("ติดตามและประเมินผล", "Monitoring and Evaluation"),
        ("ความร่วมมือระหว่างประเทศ", "International Cooperation"),
    ]),
    (("ICT", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "Information and Communication Technology Centre"), [
        ("พัฒนาระบบ", "Systems Development"), ("โครงสร้างพื้นฐานและความมั่นคงปลอดภัย",
                                                "Infrastructure and Security"),
        ("ข้อมูลและสถิติ", "Data and Statistics"), ("บริการผู้ใช้", "User Services"),
    ]),
    (("LAW", "กองกฎหมาย", "Legal Affairs Division"), [
        ("นิติกรรมและสัญญา", "Contracts"), ("คดีและร้องเรียน", "Litigation and Complaints"),
    ]),
    (("SRV", "สำนักบริการประชาชน", "Bureau of Public Services"), [
        ("ศูนย์บริการร่วม", "One-Stop Service Centre"), ("ใบอนุญาต", "Licensing"),
        ("รับเรื่องราวร้องทุกข์", "Public Complaints"), ("บริการอิเล็กทรอนิกส์", "e-Services"),
    ]),
    (("INS", "สำนักตรวจสอบและกำกับดูแล", "Bureau of Inspection and Compliance"), [
        ("ตรวจสอบภาคสนาม", "Field Inspection"), ("กำกับมาตรฐาน", "Standards Compliance"),
        ("วิเคราะห์ความเสี่ยง", "Risk Analysis"),
    ]),
    (("REG", "สำนักงานภูมิภาค", "Regional Offices"), [
        ("ภาคเหนือ", "Northern Region"), ("ภาคตะวันออกเฉียงเหนือ", "Northeastern Region"),
        ("ภาคกลาง", "Central Region"), ("ภาคใต้", "Southern Region"),
    ]),
]  # fmt: skip

POSITIONS = {
    "Executive": ["อธิบดี", "รองอธิบดี"],
    "Management": ["ผู้อำนวยการกอง", "ผู้อำนวยการสำนัก", "ผู้อำนวยการศูนย์"],
    "Academic": ["นักวิเคราะห์นโยบายและแผน", "นักทรัพยากรบุคคล", "นักวิชาการเงินและบัญชี", "นิติกร",
                 "นักวิชาการพัสดุ", "นักประชาสัมพันธ์", "นักวิชาการตรวจสอบภายใน"],
    "Technology": ["นักวิชาการคอมพิวเตอร์", "นักวิเคราะห์ระบบ", "เจ้าพนักงานเครื่องคอมพิวเตอร์"],
    "Service": ["เจ้าพนักงานธุรการ", "เจ้าหน้าที่บริการประชาชน", "เจ้าพนักงานการเงินและบัญชี"],
    "Others": ["พนักงานขับรถยนต์", "พนักงานบริการ", "เจ้าพนักงานพัสดุ"],
}  # fmt: skip
