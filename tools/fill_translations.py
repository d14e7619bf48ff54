"""Fill msgstr entries of reliefops/locale/*/django.po from the glossary below.

Only empty entries are filled; translators' work is never overwritten. Run after
``make messages`` and then ``reliefops compilemessages``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "reliefops" / "locale"

# msgid: (az, ru, hy)
GLOSSARY: dict[str, tuple[str, str, str]] = {
    "ReliefOps": ("ReliefOps", "ReliefOps", "ReliefOps"),
    "Home": ("Ana səhifə", "Главная", "Գլխավոր"),
    "Map": ("Xəritə", "Карта", "Քարտեզ"),
    "Presence (3W)": ("İştirak (3W)", "Присутствие (3W)", "Ներկայություն (3W)"),
    "Organisations": ("Təşkilatlar", "Организации", "Կազմակերպություններ"),
    "Sign in": ("Daxil ol", "Войти", "Մուտք"),
    "Operations platform for humanitarian coordination": (
        "Humanitar koordinasiya üçün əməliyyat platforması",
        "Операционная платформа гуманитарной координации",
        "Հումանիտար համակարգման գործառնական հարթակ",
    ),
    "Your username and password didn't match. Please try again.": (
        "İstifadəçi adı və ya şifrə yanlışdır. Yenidən cəhd edin.",
        "Имя пользователя или пароль неверны. Попробуйте ещё раз.",
        "Օգտանունը կամ գաղտնաբառը սխալ է։ Փորձեք կրկին։",
    ),
    "Username": ("İstifadəçi adı", "Имя пользователя", "Օգտանուն"),
    "Password": ("Şifrə", "Пароль", "Գաղտնաբառ"),
    "Log out": ("Çıxış", "Выйти", "Դուրս գալ"),
    "Main navigation": ("Əsas naviqasiya", "Основная навигация", "Հիմնական նավարկություն"),
    "Change password": ("Şifrəni dəyiş", "Сменить пароль", "Փոխել գաղտնաբառը"),
    "Please choose your own password before you continue.": (
        "Davam etməzdən əvvəl öz şifrənizi seçin.",
        "Прежде чем продолжить, задайте собственный пароль.",
        "Շարունակելուց առաջ ընտրեք ձեր սեփական գաղտնաբառը։",
    ),
    "Your password was changed.": (
        "Şifrəniz dəyişdirildi.",
        "Ваш пароль изменён.",
        "Ձեր գաղտնաբառը փոխվեց։",
    ),
    "Overview": ("İcmal", "Обзор", "Ամփոփում"),
    "areas (national scope)": (
        "ərazi (ölkə üzrə)",
        "районов (вся страна)",
        "տարածք (ամբողջ երկիրը)",
    ),
    "areas in your scope": (
        "sizin ərazilərinizdə",
        "районов в вашей зоне",
        "տարածք ձեր շրջանակում",
    ),
    "partner organisations": (
        "tərəfdaş təşkilat",
        "организаций-партнёров",
        "գործընկեր կազմակերպություն",
    ),
    "presence records (3W) you can see": (
        "görə bildiyiniz iştirak qeydləri (3W)",
        "доступных вам записей присутствия (3W)",
        "ձեզ հասանելի ներկայության գրառումներ (3W)",
    ),
    "Administrative areas of Azerbaijan and Armenia. Outlines are approximate and claim nothing.": (
        "Azərbaycan və Ermənistanın inzibati əraziləri. Sərhədlər təxminidir və heç bir iddia ifadə etmir.",
        "Административные единицы Азербайджана и Армении. Контуры приблизительны и ничего не утверждают.",
        "Ադրբեջանի և Հայաստանի վարչական միավորները։ Ուրվագծերը մոտավոր են և ոչինչ չեն պնդում։",
    ),
    "Area in your scope": ("Sizin əraziniz", "Район в вашей зоне", "Տարածք ձեր շրջանակում"),
    "Other area": ("Digər ərazi", "Другой район", "Այլ տարածք"),
    "Click an area for its names.": (
        "Adlarını görmək üçün əraziyə klikləyin.",
        "Нажмите на район, чтобы увидеть его названия.",
        "Սեղմեք տարածքի վրա՝ անվանումները տեսնելու համար։",
    ),
    "Names": ("Adlar", "Названия", "Անվանումներ"),
    "Code": ("Kod", "Код", "Կոդ"),
    "Who works where (3W)": (
        "Kim harada işləyir (3W)",
        "Кто где работает (3W)",
        "Ով որտեղ է աշխատում (3W)",
    ),
    "Sector": ("Sektor", "Сектор", "Ոլորտ"),
    "All sectors": ("Bütün sektorlar", "Все секторы", "Բոլոր ոլորտները"),
    "Filter": ("Süz", "Фильтр", "Զտել"),
    "Area": ("Ərazi", "Район", "Տարածք"),
    "Organisation": ("Təşkilat", "Организация", "Կազմակերպություն"),
    "Activity": ("Fəaliyyət", "Деятельность", "Գործունեություն"),
    "Since": ("Başlama tarixi", "С", "Սկսած"),
    "Record presence": ("İştirakı qeyd et", "Записать присутствие", "Գրանցել ներկայությունը"),
    "Save": ("Yadda saxla", "Сохранить", "Պահպանել"),
    "Nothing recorded in your areas.": (
        "Ərazilərinizdə heç nə qeyd olunmayıb.",
        "В ваших районах ничего не записано.",
        "Ձեր տարածքներում ոչինչ գրանցված չէ։",
    ),
    "Presence recorded.": (
        "İştirak qeyd olundu.",
        "Присутствие записано.",
        "Ներկայությունը գրանցվեց։",
    ),
    "Acronym": ("Qısaltma", "Аббревиатура", "Հապավում"),
    "Name": ("Ad", "Название", "Անվանում"),
    "Kind": ("Növ", "Тип", "Տեսակ"),
    "No organisations yet.": (
        "Hələ təşkilat yoxdur.",
        "Организаций пока нет.",
        "Կազմակերպություններ դեռ չկան։",
    ),
    "Back to the overview": ("İcmala qayıt", "Назад к обзору", "Վերադառնալ ամփոփմանը"),
    "Page not found": ("Səhifə tapılmadı", "Страница не найдена", "Էջը չի գտնվել"),
    "You are not allowed to see this page": (
        "Bu səhifəyə baxmaq icazəniz yoxdur",
        "У вас нет доступа к этой странице",
        "Դուք իրավասու չեք դիտելու այս էջը",
    ),
    "English": ("İngilis dili", "Английский", "Անգլերեն"),
    "Azerbaijani": ("Azərbaycan dili", "Азербайджанский", "Ադրբեջաներեն"),
    "Russian": ("Rus dili", "Русский", "Ռուսերեն"),
    "Armenian": ("Erməni dili", "Армянский", "Հայերեն"),
    "Administrator": ("Administrator", "Администратор", "Ադմինիստրատոր"),
    "Coordinator": ("Koordinator", "Координатор", "Համակարգող"),
    "Logistics officer": ("Logistika əməkdaşı", "Логист", "Լոգիստիկայի աշխատակից"),
    "Field worker": ("Sahə əməkdaşı", "Полевой сотрудник", "Դաշտային աշխատակից"),
    "Partner": ("Tərəfdaş", "Партнёр", "Գործընկեր"),
    "Data-protection officer": (
        "Məlumatların mühafizəsi üzrə məsul şəxs",
        "Ответственный за защиту данных",
        "Տվյալների պաշտպանության պատասխանատու",
    ),
    "Viewer": ("Baxış hüququ", "Наблюдатель", "Դիտորդ"),
    "Requests": ("Sorğular", "Заявки", "Հայտեր"),
    "Stock": ("Ehtiyat", "Запасы", "Պաշար"),
    "Gaps": ("Çatışmazlıqlar", "Дефицит", "Բացեր"),
    "Gap analysis": ("Çatışmazlıq təhlili", "Анализ дефицита", "Բացերի վերլուծություն"),
    "Items": ("Mallar", "Товары", "Ապրանքներ"),
    "Import": ("İdxal", "Импорт", "Ներմուծում"),
    "Places": ("Yerlər", "Населённые пункты", "Բնակավայրեր"),
    "Facilities": ("Obyektlər", "Объекты", "Հաստատություններ"),
    "Roads": ("Yollar", "Дороги", "Ճանապարհներ"),
    "Warehouses": ("Anbarlar", "Склады", "Պահեստներ"),
    "Estimators": ("Hesablayıcılar", "Калькуляторы", "Հաշվիչներ"),
}


def fill(po_path: Path, column: int) -> int:
    text = po_path.read_text(encoding="utf-8")
    filled = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal filled
        pieces = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
        msgid = "".join(pieces)
        key = msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if key in GLOSSARY:
            filled += 1
            value = GLOSSARY[key][column].replace('"', '\\"')
            return f'msgid {match.group(1)}msgstr "{value}"\n'
        return match.group(0)

    text = re.sub(
        r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ""\n(?!")', replace, text, flags=re.MULTILINE
    )
    po_path.write_text(text, encoding="utf-8")
    return filled


def main() -> int:
    for column, lang in enumerate(("az", "ru", "hy")):
        po = LOCALE / lang / "LC_MESSAGES" / "django.po"
        print(f"{lang}: filled {fill(po, column)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
