"""Fill msgstr entries of reliefops/locale/*/django.po from the glossary below.

Only empty entries are filled; translators' work is never overwritten. Entries that
msgmerge marked ``#, fuzzy`` are guesses from a similar msgid: the guess is dropped
(and the flag removed), then the entry is filled from the glossary if it has one.
Run after ``make messages`` and then ``reliefops compilemessages``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "reliefops" / "locale"
LANGUAGES = ("az", "ru", "hy")

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
    # Navigation and page titles
    "Import/Export": ("İdxal/İxrac", "Импорт/экспорт", "Ներմուծում/արտահանում"),
    "Import and export": ("İdxal və ixrac", "Импорт и экспорт", "Ներմուծում և արտահանում"),
    "Export and templates": ("İxrac və şablonlar", "Экспорт и шаблоны", "Արտահանում և ձևանմուշներ"),
    "Export": ("İxrac", "Экспорт", "Արտահանել"),
    "Bad request": ("Yanlış sorğu", "Некорректный запрос", "Սխալ հարցում"),
    "Something went wrong on our side": (
        "Bizim tərəfimizdə xəta baş verdi",
        "На нашей стороне произошла ошибка",
        "Մեր կողմում սխալ է տեղի ունեցել",
    ),
    "All requests": ("Bütün sorğular", "Все заявки", "Բոլոր հայտերը"),
    "New request": ("Yeni sorğu", "Новая заявка", "Նոր հայտ"),
    "Stock on hand": ("Mövcud ehtiyat", "Запасы в наличии", "Առկա պաշար"),
    "Stock ledger": ("Ehtiyat uçotu jurnalı", "Журнал учёта запасов", "Պաշարի հաշվառման մատյան"),
    "Ledger": ("Uçot jurnalı", "Журнал учёта", "Հաշվառման մատյան"),
    "Pledges and pipeline": (
        "Öhdəliklər və gözlənilən tədarük",
        "Обязательства и ожидаемые поставки",
        "Խոստումներ և սպասվող մատակարարումներ",
    ),
    "Pledges": ("Öhdəliklər", "Обязательства доноров", "Խոստումներ"),
    "Item catalogue": ("Mal kataloqu", "Каталог товаров", "Ապրանքների կատալոգ"),
    "Layers and filters": ("Laylar və filtrlər", "Слои и фильтры", "Շերտեր և զտիչներ"),
    "Travel time": ("Yol vaxtı", "Время в пути", "Ճանապարհի տևողություն"),
    "Status history": ("Status tarixçəsi", "История статусов", "Կարգավիճակի պատմություն"),
    "History": ("Tarixçə", "История", "Պատմություն"),
    "Comments": ("Şərhlər", "Комментарии", "Մեկնաբանություններ"),
    "Next steps": ("Növbəti addımlar", "Следующие шаги", "Հաջորդ քայլերը"),
    "Totals per item": ("Mal üzrə cəmi", "Итого по товарам", "Ընդամենը ըստ ապրանքի"),
    "By area and item": ("Ərazi və mal üzrə", "По районам и товарам", "Ըստ տարածքի և ապրանքի"),
    "Coverage by area": ("Ərazilər üzrə əhatə", "Покрытие по районам", "Ծածկույթը ըստ տարածքի"),
    "Need covered, by item": (
        "Ödənilmiş ehtiyac, mal üzrə",
        "Покрытая потребность по товарам",
        "Ծածկված կարիքը՝ ըստ ապրանքի",
    ),
    "Heating fuel, season from %(season)s": (
        "İstilik yanacağı, mövsüm %(season)s tarixindən",
        "Топливо для отопления, сезон с %(season)s",
        "Ջեռուցման վառելիք, սեզոնը՝ %(season)s-ից",
    ),
    "Facilities without an estimate": (
        "Hesablaması olmayan obyektlər",
        "Объекты без расчёта",
        "Առանց հաշվարկի հաստատություններ",
    ),
    "Climate table (monthly mean °C)": (
        "İqlim cədvəli (aylıq orta °C)",
        "Климатическая таблица (среднемесячная, °C)",
        "Կլիմայական աղյուսակ (ամսական միջին °C)",
    ),
    "Lines": ("Sətirlər", "Позиции", "Տողեր"),
    # Buttons and actions
    "Search": ("Axtar", "Найти", "Որոնել"),
    "Update": ("Yenilə", "Обновить", "Թարմացնել"),
    "Compute": ("Hesabla", "Рассчитать", "Հաշվել"),
    "Submit": ("Təqdim et", "Подать", "Ներկայացնել"),
    "Verify": ("Yoxla", "Проверить", "Ստուգել"),
    "Approve": ("Təsdiqlə", "Утвердить", "Հաստատել"),
    "Reject": ("Rədd et", "Отклонить", "Մերժել"),
    "Cancel request": ("Sorğunu ləğv et", "Отменить заявку", "Չեղարկել հայտը"),
    "Mark planned": (
        "Planlaşdırılmış kimi qeyd et",
        "Отметить как запланированную",
        "Նշել որպես պլանավորված",
    ),
    "Dispatch": ("Göndər", "Отгрузить", "Առաքել"),
    "Confirm delivery": ("Çatdırılmanı təsdiqlə", "Подтвердить доставку", "Հաստատել հանձնումը"),
    "Close": ("Bağla", "Закрыть", "Փակել"),
    "Add comment": ("Şərh əlavə et", "Добавить комментарий", "Ավելացնել մեկնաբանություն"),
    "Submit request": ("Sorğunu təqdim et", "Подать заявку", "Ներկայացնել հայտը"),
    "Record": ("Qeyd et", "Записать", "Գրանցել"),
    "Record a movement": ("Hərəkəti qeyd et", "Записать движение", "Գրանցել շարժը"),
    "Set status": ("Statusu təyin et", "Задать статус", "Սահմանել կարգավիճակը"),
    "Save status": ("Statusu saxla", "Сохранить статус", "Պահպանել կարգավիճակը"),
    "Generate draft requests for the season": (
        "Mövsüm üçün sorğu qaralamaları yarat",
        "Создать черновики заявок на сезон",
        "Ստեղծել հայտերի սևագրեր սեզոնի համար",
    ),
    "Hide places": ("Yerləri gizlət", "Скрыть населённые пункты", "Թաքցնել բնակավայրերը"),
    "Dispatch (FEFO)": ("Göndərmə (FEFO)", "Отгрузка (FEFO)", "Առաքում (FEFO)"),
    "Transfer": ("Köçürmə", "Перемещение", "Տեղափոխում"),
    "Physical count": ("Fiziki sayım", "Инвентаризация", "Ֆիզիկական հաշվառում"),
    # Form labels
    "What the file holds": ("Faylın məzmunu", "Что содержит файл", "Ինչ է պարունակում ֆայլը"),
    "File (CSV, HXL-tagged CSV, XLSX or GeoJSON)": (
        "Fayl (CSV, HXL teqli CSV, XLSX və ya GeoJSON)",
        "Файл (CSV, CSV с тегами HXL, XLSX или GeoJSON)",
        "Ֆայլ (CSV, HXL պիտակներով CSV, XLSX կամ GeoJSON)",
    ),
    "Check only, write nothing": (
        "Yalnız yoxla, heç nə yazma",
        "Только проверить, ничего не записывать",
        "Միայն ստուգել, ոչինչ չգրանցել",
    ),
    "Requested for": ("Kimin üçün", "Для кого", "Ում համար"),
    "Place (any spelling, or P-code)": (
        "Yer (istənilən yazılış və ya P-kod)",
        "Населённый пункт (любое написание или P-код)",
        "Բնակավայր (ցանկացած ուղղագրությամբ կամ P-կոդ)",
    ),
    "Requesting organisation": (
        "Sorğu verən təşkilat",
        "Организация-заявитель",
        "Հայտատու կազմակերպություն",
    ),
    "People covered": ("Əhatə olunan şəxslər", "Охвачено людей", "Ընդգրկված մարդիկ"),
    "Priority": ("Prioritet", "Приоритет", "Առաջնահերթություն"),
    "Needed from": ("Nə vaxtdan lazımdır", "Нужно с", "Անհրաժեշտ է սկսած"),
    "Needed by": ("Nə vaxtadək lazımdır", "Нужно до", "Անհրաժեշտ է մինչև"),
    "Justification": ("Əsaslandırma", "Обоснование", "Հիմնավորում"),
    "Source": ("Mənbə", "Источник", "Աղբյուր"),
    "I checked the similar open requests; submit anyway": (
        "Oxşar açıq sorğuları yoxladım; yenə də təqdim et",
        "Я проверил(а) похожие открытые заявки; всё равно подать",
        "Ստուգել եմ նման բաց հայտերը. այնուամենայնիվ ներկայացնել",
    ),
    "Item": ("Mal", "Товар", "Ապրանք"),
    "or service": ("və ya xidmət", "или услуга", "կամ ծառայություն"),
    "Quantity": ("Miqdar", "Количество", "Քանակ"),
    "Reason / note": ("Səbəb / qeyd", "Причина / примечание", "Պատճառ / նշում"),
    "From warehouse": ("Anbardan", "Со склада", "Պահեստից"),
    "Comment": ("Şərh", "Комментарий", "Մեկնաբանություն"),
    "Parameters (JSON, over the defaults)": (
        "Parametrlər (JSON, standart dəyərlərin üzərinə)",
        "Параметры (JSON, поверх значений по умолчанию)",
        "Պարամետրեր (JSON, լռելյայն արժեքների փոխարեն)",
    ),
    "Horizon (days)": ("Üfüq (gün)", "Горизонт (дней)", "Հորիզոն (օր)"),
    "Quantity (item unit)": (
        "Miqdar (malın vahidi)",
        "Количество (в единицах товара)",
        "Քանակ (ապրանքի միավորով)",
    ),
    "Movement": ("Hərəkət", "Движение", "Շարժ"),
    "Quantity (counted, for a count)": (
        "Miqdar (sayım üçün — sayılmış)",
        "Количество (для инвентаризации — фактическое)",
        "Քանակ (հաշվառման դեպքում՝ հաշված)",
    ),
    "To warehouse (transfer)": (
        "Anbara (köçürmə)",
        "На склад (перемещение)",
        "Դեպի պահեստ (տեղափոխում)",
    ),
    "Reference document": ("İstinad sənədi", "Основание (документ)", "Հիմք հանդիսացող փաստաթուղթ"),
    "Required to close or restrict": (
        "Bağlamaq və ya məhdudlaşdırmaq üçün tələb olunur",
        "Обязательно при закрытии или ограничении",
        "Պարտադիր է փակելու կամ սահմանափակելու համար",
    ),
    "Find a place (any language or script)": (
        "Yer tap (istənilən dil və ya əlifba)",
        "Найти населённый пункт (любой язык или алфавит)",
        "Գտնել բնակավայր (ցանկացած լեզվով կամ գրով)",
    ),
    "From": ("Haradan", "Откуда", "Որտեղից"),
    "To": ("Haraya", "Куда", "Ուր"),
    "Vehicle": ("Nəqliyyat vasitəsi", "Транспортное средство", "Տրանսպորտային միջոց"),
    # Table headers and detail labels
    "Row": ("Sətir", "Строка", "Տող"),
    "Column": ("Sütun", "Столбец", "Սյունակ"),
    "Value": ("Dəyər", "Значение", "Արժեք"),
    "Problem": ("Problem", "Проблема", "Խնդիր"),
    "Columns (HXL)": ("Sütunlar (HXL)", "Столбцы (HXL)", "Սյունակներ (HXL)"),
    "Facility": ("Obyekt", "Объект", "Հաստատություն"),
    "Place": ("Yer", "Населённый пункт", "Բնակավայր"),
    "Method": ("Metod", "Метод", "Մեթոդ"),
    "Season total": ("Mövsüm üzrə cəmi", "Итого за сезон", "Ընդամենը սեզոնի համար"),
    "Per day (first month)": ("Gündəlik (ilk ay)", "В день (первый месяц)", "Օրական (առաջին ամիս)"),
    "Days of cover": ("Təminat günləri", "Дней обеспеченности", "Ապահովված օրեր"),
    "Climate": ("İqlim", "Климат", "Կլիմա"),
    "Request": ("Sorğu", "Заявка", "Հայտ"),
    "Station": ("Stansiya", "Станция", "Կայան"),
    "Parameters": ("Parametrlər", "Параметры", "Պարամետրեր"),
    "Need": ("Ehtiyac", "Потребность", "Կարիք"),
    "Pipeline": ("Gözlənilən tədarük", "Ожидаемые поставки", "Սպասվող մատակարարումներ"),
    "Gap": ("Çatışmazlıq", "Дефицит", "Բաց"),
    "Coverage": ("Əhatə", "Покрытие", "Ծածկույթ"),
    "Estimated": ("Hesablanmış", "Расчётная", "Գնահատված"),
    "Requested": ("Sorğulanmış", "Запрошено", "Հայցված"),
    "Stock in area": ("Ərazidəki ehtiyat", "Запасы в районе", "Պաշարը տարածքում"),
    "For": ("Kimin üçün", "Для", "Ում համար"),
    "People": ("Şəxslər", "Людей", "Մարդիկ"),
    "Needed": ("Lazımdır", "Срок", "Անհրաժեշտ է"),
    "Reason": ("Səbəb", "Причина", "Պատճառ"),
    "Item / service": ("Mal / xidmət", "Товар / услуга", "Ապրանք / ծառայություն"),
    "Status": ("Status", "Статус", "Կարգավիճակ"),
    "All": ("Hamısı", "Все", "Բոլորը"),
    "Reference": ("İstinad", "Номер", "Համար"),
    "Operator": ("Operator", "Оператор", "Օպերատոր"),
    "Operating hours": ("İş saatları", "Часы работы", "Աշխատանքային ժամեր"),
    "Pupils": ("Şagirdlər", "Учащиеся", "Աշակերտներ"),
    "Beds": ("Çarpayılar", "Койки", "Մահճակալներ"),
    "Heated area": ("Qızdırılan sahə", "Отапливаемая площадь", "Ջեռուցվող մակերես"),
    "Heating fuel": ("İstilik yanacağı", "Топливо для отопления", "Ջեռուցման վառելիք"),
    "Boiler": ("Qazan", "Котёл", "Կաթսա"),
    "Tank": ("Çən", "Резервуар", "Բաք"),
    "All areas": ("Bütün ərazilər", "Все районы", "Բոլոր տարածքները"),
    "All kinds": ("Bütün növlər", "Все типы", "Բոլոր տեսակները"),
    "Coordinates": ("Koordinatlar", "Координаты", "Կոորդինատներ"),
    "Population": ("Əhali", "Население", "Բնակչություն"),
    "Lang.": ("Dil", "Яз.", "Լեզու"),
    "Type": ("Tip", "Тип", "Տեսակ"),
    "Road number": ("Yol nömrəsi", "Номер дороги", "Ճանապարհի համար"),
    "Route": ("Marşrut", "Маршрут", "Երթուղի"),
    "Length": ("Uzunluq", "Протяжённость", "Երկարություն"),
    "Speeds": ("Sürətlər", "Скорости", "Արագություններ"),
    "light / truck / heavy": (
        "yüngül / yük maşını / ağır",
        "лёгкий / грузовик / тяжёлый",
        "թեթև / բեռնատար / ծանր",
    ),
    "Surface": ("Örtük", "Покрытие", "Ծածկ"),
    "Max weight": ("Maks. çəki", "Макс. масса", "Առավելագույն քաշ"),
    "P-code": ("P-kod", "P-код", "P-կոդ"),
    "Lot": ("Partiya", "Партия", "Խմբաքանակ"),
    "Expiry": ("Son istifadə tarixi", "Срок годности", "Պիտանիության ժամկետ"),
    "On hand": ("Mövcuddur", "В наличии", "Առկա է"),
    "Category": ("Kateqoriya", "Категория", "Կատեգորիա"),
    "Unit": ("Vahid", "Единица", "Միավոր"),
    "Handling": ("Rəftar qaydası", "Обращение", "Վարվելակերպ"),
    "Kit contents": ("Dəstin tərkibi", "Состав набора", "Հավաքածուի բաղադրություն"),
    "Expected": ("Gözlənilir", "Ожидается", "Սպասվում է"),
    "When": ("Nə vaxt", "Когда", "Երբ"),
    "By": ("Kim", "Кто", "Ով"),
    "Donor": ("Donor", "Донор", "Դոնոր"),
    "Warehouse": ("Anbar", "Склад", "Պահեստ"),
}

# Plural entries, keyed by the singular msgid: (az forms, ru forms, hy forms).
# az and hy have 2 forms (n != 1); ru has 4 (one, few, many, other).
PLURALS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def parse(lines: list[str]) -> dict[str, str]:
    """The keyword fields of one entry (msgid, msgstr, msgstr[0], ...), unescaped."""
    fields: dict[str, str] = {}
    current = None
    for line in lines:
        match = _KEYWORD.match(line)
        if match:
            current = match.group(1)
            fields[current] = ""
            line = line[match.end() :]
        elif not line.startswith('"'):
            current = None
            continue
        if current is not None:
            fields[current] += unescape(line.strip()[1:-1])
    return fields


def translate(fields: dict[str, str], column: int) -> list[str] | None:
    """msgstr lines for this entry from the glossary, or None when it has no entry."""
    msgid = fields.get("msgid", "")
    if "msgid_plural" in fields:
        forms = PLURALS.get(msgid)
        if forms is None:
            return None
        return [f'msgstr[{i}] "{escape(form)}"' for i, form in enumerate(forms[column])]
    if msgid not in GLOSSARY:
        return None
    return [f'msgstr "{escape(GLOSSARY[msgid][column])}"']


def fill_entry(block: str, column: int) -> tuple[str, bool]:
    lines = block.split("\n")
    fields = parse(lines)
    msgstrs = [v for k, v in fields.items() if k.startswith("msgstr")]
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
    if not fuzzy and any(msgstrs):
        return block, False
    kept: list[str] = []
    for line in lines:
        if line.startswith("#|"):
            continue  # the previous msgid of a fuzzy guess
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if flags:
                kept.append("#, " + ", ".join(flags))
            continue
        kept.append(line)
    # Cut the old msgstr lines (and their continuation lines) off the end.
    start = next(i for i, line in enumerate(kept) if line.startswith("msgstr"))
    body, old = kept[:start], kept[start:]
    new = translate(fields, column)
    if new is None:
        # No glossary entry: leave it empty (a fuzzy guess is dropped, not kept).
        keys = re.findall(r"^(msgstr(?:\[\d+\])?) ", "\n".join(old), re.MULTILINE)
        return "\n".join([*body, *(f'{key} ""' for key in keys)]), False
    return "\n".join(body + new), True


def fill_header(block: str, lang: str) -> str:
    return block.replace('"Language: \\n"', f'"Language: {lang}\\n"')


def fill(po_path: Path, column: int, lang: str) -> int:
    text = po_path.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    filled = 0
    for i, block in enumerate(blocks):
        if not re.search(r"^msgid ", block, re.M):
            continue
        if parse(block.split("\n")).get("msgid", "") == "":
            blocks[i] = fill_header(block, lang)
            continue
        blocks[i], done = fill_entry(block, column)
        filled += done
    po_path.write_text("\n\n".join(blocks), encoding="utf-8")
    return filled


def untranslated(po_path: Path) -> list[str]:
    """msgids whose msgstr is still empty (or fuzzy)."""
    left = []
    for block in po_path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.split("\n")
        fields = parse(lines)
        msgid = fields.get("msgid", "")
        if not msgid:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        if fuzzy or not all(v for k, v in fields.items() if k.startswith("msgstr")):
            left.append(msgid)
    return left


def main() -> int:
    for column, lang in enumerate(LANGUAGES):
        po = LOCALE / lang / "LC_MESSAGES" / "django.po"
        filled = fill(po, column, lang)
        left = untranslated(po)
        print(f"{lang}: filled {filled} entries, {len(left)} untranslated")
        if "-v" in sys.argv[1:]:
            for msgid in left:
                print(f"    {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
