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
    "Estimated": ("Hesablanmış", "По расчёту", "Գնահատված"),
    "Requested": ("Sorğulanmış", "Запрошено", "Հայցված"),
    "Stock in area": ("Ərazidəki ehtiyat", "Запасы в районе", "Պաշարը տարածքում"),
    "For": ("Kimin üçün", "Для кого", "Ում համար"),
    "People": ("Şəxslər", "Людей", "Մարդիկ"),
    "Needed": ("Müddət", "Срок", "Ժամկետ"),
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
    # Map, legend and page notes
    "Click a place, facility or road for details.": (
        "Ətraflı məlumat üçün yerə, obyektə və ya yola klikləyin.",
        "Нажмите на населённый пункт, объект или дорогу, чтобы увидеть подробности.",
        "Սեղմեք բնակավայրի, հաստատության կամ ճանապարհի վրա՝ մանրամասների համար։",
    ),
    "Scenario roads, villages and facilities are approximate, not surveyed. Area outlines are approximate and claim nothing.": (
        "Ssenari yolları, kəndlər və obyektlər təxminidir, tədqiq olunmayıb. Ərazi sərhədləri təxminidir və heç bir iddia ifadə etmir.",
        "Дороги, сёла и объекты сценария приблизительны и не обследованы на месте. Контуры районов приблизительны и ничего не утверждают.",
        "Սցենարի ճանապարհները, գյուղերը և հաստատությունները մոտավոր են, տեղում չեն ստուգվել։ Տարածքների ուրվագծերը մոտավոր են և ոչինչ չեն պնդում։",
    ),
    "No open road: straight-line estimate × detour factor.": (
        "Açıq yol yoxdur: düz xətt üzrə təxmin × dolama əmsalı.",
        "Нет открытой дороги: оценка по прямой × коэффициент объезда.",
        "Բաց ճանապարհ չկա. գնահատում ուղիղ գծով × շրջանցման գործակից։",
    ),
    "Status saved; travel times are recomputed.": (
        "Status saxlanıldı; yol vaxtları yenidən hesablanır.",
        "Статус сохранён; время в пути пересчитывается.",
        "Կարգավիճակը պահպանվեց. ճանապարհի տևողությունները վերահաշվարկվում են։",
    ),
    "“%(q)s” matched with score %(score)s.": (
        "“%(q)s” %(score)s balla uyğun gəldi.",
        "«%(q)s»: найдено совпадение с оценкой %(score)s.",
        "«%(q)s»․ համընկնում %(score)s գնահատականով։",
    ),
    "“%(q)s” could be several places:": (
        "“%(q)s” bir neçə yerə uyğun ola bilər:",
        "«%(q)s» может означать несколько населённых пунктов:",
        "«%(q)s»-ը կարող է լինել մի քանի բնակավայր՝",
    ),
    "No place matches “%(q)s”.": (
        "“%(q)s” ilə uyğun gələn yer yoxdur.",
        "Нет населённого пункта, соответствующего «%(q)s».",
        "«%(q)s»-ին համապատասխանող բնակավայր չկա։",
    ),
    "Nothing is written unless every row is valid. Columns are matched by header name or by HXL hashtag (a hashtag row under the header, or instead of it).": (
        "Bütün sətirlər düzgün olmadıqca heç nə yazılmır. Sütunlar başlıq adına və ya HXL heşteqinə görə uyğunlaşdırılır (başlığın altında və ya onun əvəzinə heşteq sətri).",
        "Ничего не записывается, пока все строки не будут корректны. Столбцы сопоставляются по названию заголовка или по хэштегу HXL (строка хэштегов под заголовком или вместо него).",
        "Ոչինչ չի գրանցվում, քանի դեռ բոլոր տողերը վավեր չեն։ Սյունակները համապատասխանեցվում են ըստ վերնագրի կամ HXL հեշթեգի (հեշթեգերի տող վերնագրի տակ կամ դրա փոխարեն)։",
    ),
    "rows valid": ("sətir düzgündür", "строк корректны", "տող վավեր է"),
    "check only, nothing written": (
        "yalnız yoxlama, heç nə yazılmayıb",
        "только проверка, ничего не записано",
        "միայն ստուգում, ոչինչ չի գրանցվել",
    ),
    "written": ("yazıldı", "записано", "գրանցված"),
    "Method, sources and worked examples: docs/estimators.md.": (
        "Metod, mənbələr və nümunə hesablamalar: docs/estimators.md.",
        "Метод, источники и примеры расчётов: docs/estimators.md.",
        "Մեթոդը, աղբյուրները և հաշվարկի օրինակները՝ docs/estimators.md։",
    ),
    "No heated facilities with enough data in your areas.": (
        "Ərazilərinizdə kifayət qədər məlumatı olan qızdırılan obyekt yoxdur.",
        "В ваших районах нет отапливаемых объектов с достаточными данными.",
        "Ձեր տարածքներում բավարար տվյալներով ջեռուցվող հաստատություններ չկան։",
    ),
    "One draft per facility: season total less the fuel it holds; skipped when an open request covers it.": (
        "Hər obyekt üçün bir qaralama: mövsüm üzrə cəmi çıxılsın obyektdəki yanacaq; açıq sorğu onu əhatə edirsə, buraxılır.",
        "Один черновик на объект: итог за сезон минус имеющееся топливо; объект пропускается, если его покрывает открытая заявка.",
        "Մեկ սևագիր յուրաքանչյուր հաստատության համար՝ սեզոնի ընդհանուրը հանած առկա վառելիքը. բաց թողնվում է, եթե այն ծածկված է բաց հայտով։",
    ),
    "Need = the larger of the estimated (Sphere minimums for the population) and the requested (open requests, not yet delivered); gap = need − stock on hand − pipeline − planned. Coverage is capped at 100 %%.": (
        "Ehtiyac = hesablanmış (əhali üçün Sphere minimumları) və sorğulanmış (hələ çatdırılmamış açıq sorğular) dəyərlərdən böyüyü; çatışmazlıq = ehtiyac − mövcud ehtiyat − gözlənilən tədarük − planlaşdırılmış. Əhatə 100 %% ilə məhdudlaşır.",
        "Потребность = большее из расчётной (минимумы Sphere для населения) и запрошенной (открытые, ещё не доставленные заявки); дефицит = потребность − запасы в наличии − ожидаемые поставки − запланированное. Покрытие ограничено 100 %%.",
        "Կարիք = գնահատվածի (Sphere նվազագույններ բնակչության համար) և հայցվածի (բաց, դեռ չհանձնված հայտեր) մեծագույնը. բաց = կարիք − առկա պաշար − սպասվող մատակարարումներ − պլանավորված։ Ծածկույթը սահմանափակված է 100 %%-ով։",
    ),
    "Share of the need covered by stock, pipeline and plans, and the gap, per item": (
        "Ehtiyatın, gözlənilən tədarükün və planların ödədiyi ehtiyac payı və çatışmazlıq, mal üzrə",
        "Доля потребности, покрытая запасами, ожидаемыми поставками и планами, и дефицит по каждому товару",
        "Պաշարով, սպասվող մատակարարումներով և պլաններով ծածկված կարիքի բաժինը և բացը՝ ըստ ապրանքի",
    ),
    "%% of the need": ("ehtiyacın %%-i", "%% потребности", "կարիքի %%-ը"),
    "No needs recorded in your areas.": (
        "Ərazilərinizdə ehtiyac qeyd olunmayıb.",
        "В ваших районах потребности не записаны.",
        "Ձեր տարածքներում կարիքներ գրանցված չեն։",
    ),
    "No requests in your areas.": (
        "Ərazilərinizdə sorğu yoxdur.",
        "В ваших районах нет заявок.",
        "Ձեր տարածքներում հայտեր չկան։",
    ),
    "No step is open to you.": (
        "Sizin üçün açıq addım yoxdur.",
        "Вам не доступен ни один шаг.",
        "Ձեզ հասանելի քայլ չկա։",
    ),
    "Similar open requests:": (
        "Oxşar açıq sorğular:",
        "Похожие открытые заявки:",
        "Նման բաց հայտեր՝",
    ),
    "No stock in your areas.": (
        "Ərazilərinizdə ehtiyat yoxdur.",
        "В ваших районах нет запасов.",
        "Ձեր տարածքներում պաշար չկա։",
    ),
    "The ledger is append-only: a mistake is corrected by a new movement (a count, a return).": (
        "Uçot jurnalına yalnız əlavə edilir: səhv yeni hərəkətlə (sayım, qaytarma) düzəldilir.",
        "В журнал учёта можно только добавлять записи: ошибка исправляется новым движением (инвентаризацией, возвратом).",
        "Հաշվառման մատյանում կարելի է միայն ավելացնել. սխալն ուղղվում է նոր շարժով (հաշվառում, վերադարձ)։",
    ),
    "No pledges.": ("Öhdəlik yoxdur.", "Обязательств нет.", "Խոստումներ չկան։"),
    "Append-only: every movement with its reason, reference and actor. The most recent 300.": (
        "Yalnız əlavə: hər hərəkət səbəbi, istinadı və icraçısı ilə. Son 300.",
        "Только добавление: каждое движение с причиной, основанием и исполнителем. Последние 300.",
        "Միայն ավելացում. յուրաքանչյուր շարժ՝ պատճառով, հիմքով և կատարողով։ Վերջին 300-ը։",
    ),
    # Organisation kinds
    "Government body": ("Dövlət orqanı", "Государственный орган", "Պետական մարմին"),
    "UN agency": ("BMT agentliyi", "Агентство ООН", "ՄԱԿ-ի գործակալություն"),
    "Red Cross / Red Crescent": (
        "Qızıl Xaç / Qızıl Aypara",
        "Красный Крест / Красный Полумесяц",
        "Կարմիր Խաչ / Կարմիր Մահիկ",
    ),
    "International NGO": ("Beynəlxalq QHT", "Международная НПО", "Միջազգային ՀԿ"),
    "Local NGO": ("Yerli QHT", "Местная НПО", "Տեղական ՀԿ"),
    "Local service provider": (
        "Yerli xidmət təminatçısı",
        "Местный поставщик услуг",
        "Տեղական ծառայություններ մատուցող",
    ),
    "Other": ("Digər", "Другое", "Այլ"),
    # Sectors
    "Coordination": ("Koordinasiya", "Координация", "Համակարգում"),
    "Food security": (
        "Ərzaq təhlükəsizliyi",
        "Продовольственная безопасность",
        "Պարենային անվտանգություն",
    ),
    "Health": ("Səhiyyə", "Здравоохранение", "Առողջապահություն"),
    "Shelter and non-food items": (
        "Sığınacaq və qeyri-ərzaq malları",
        "Жильё и непродовольственные товары",
        "Ապաստան և ոչ պարենային ապրանքներ",
    ),
    "Water, sanitation and hygiene": (
        "Su, sanitariya və gigiyena",
        "Водоснабжение, санитария и гигиена",
        "Ջուր, սանիտարիա և հիգիենա",
    ),
    "Logistics": ("Logistika", "Логистика", "Լոգիստիկա"),
    "Protection": ("Müdafiə", "Защита", "Պաշտպանություն"),
    "Education": ("Təhsil", "Образование", "Կրթություն"),
    "Energy and heating": ("Enerji və istilik", "Энергетика и отопление", "Էներգետիկա և ջեռուցում"),
    "Early recovery": ("Erkən bərpa", "Раннее восстановление", "Վաղ վերականգնում"),
    # Request statuses, priorities, sources, kinds
    "Draft": ("Qaralama", "Черновик", "Սևագիր"),
    "Submitted": ("Təqdim edilib", "Подано", "Ներկայացված"),
    "Verified": ("Yoxlanılıb", "Проверено", "Ստուգված"),
    "Approved": ("Təsdiqlənib", "Утверждено", "Հաստատված"),
    "Planned": ("Planlaşdırılıb", "Запланировано", "Պլանավորված"),
    "Dispatched": ("Göndərilib", "Отгружено", "Առաքված"),
    "Partially delivered": ("Qismən çatdırılıb", "Частично доставлено", "Մասնակի հանձնված"),
    "Delivered": ("Çatdırılıb", "Доставлено", "Հանձնված"),
    "Closed": ("Bağlı", "Закрыто", "Փակ"),
    "Rejected": ("Rədd edilib", "Отклонено", "Մերժված"),
    "Cancelled": ("Ləğv edilib", "Отменено", "Չեղարկված"),
    "Life-saving": ("Həyati vacib", "Жизненно важно", "Կենսական"),
    "Urgent": ("Təcili", "Срочно", "Շտապ"),
    "Routine": ("Adi", "В плановом порядке", "Սովորական"),
    "Working-group decision": (
        "İşçi qrupunun qərarı",
        "Решение рабочей группы",
        "Աշխատանքային խմբի որոշում",
    ),
    "Field assessment": ("Sahə qiymətləndirməsi", "Полевая оценка", "Դաշտային գնահատում"),
    "Hotline": ("Qaynar xətt", "Горячая линия", "Թեժ գիծ"),
    "Estimator (draft)": ("Hesablayıcı (qaralama)", "Калькулятор (черновик)", "Հաշվիչ (սևագիր)"),
    "Group of registered people": (
        "Qeydiyyatdan keçmiş şəxslər qrupu",
        "Группа зарегистрированных людей",
        "Գրանցված անձանց խումբ",
    ),
    "Transport": ("Nəqliyyat", "Транспорт", "Տրանսպորտ"),
    "Medical visit": ("Tibbi baxış", "Медицинский визит", "Բժշկական այց"),
    "Medical evacuation": ("Tibbi təxliyə", "Медицинская эвакуация", "Բժշկական տարհանում"),
    "Repair (heating, water)": (
        "Təmir (istilik, su)",
        "Ремонт (отопление, вода)",
        "Նորոգում (ջեռուցում, ջուր)",
    ),
    "Water trucking": ("Su daşınması", "Подвоз воды", "Ջրի առաքում"),
    # Place kinds, name types, scripts
    "City": ("Şəhər", "Город", "Քաղաք"),
    "Town": ("Qəsəbə", "Посёлок городского типа", "Քաղաքատիպ ավան"),
    "Village": ("Kənd", "Село", "Գյուղ"),
    "Settlement": ("Yaşayış məntəqəsi", "Поселение", "Բնակավայր"),
    "Site": ("Məkan", "Площадка", "Տեղամաս"),
    "Official": ("Rəsmi", "Официальное", "Պաշտոնական"),
    "Alternate": ("Alternativ", "Альтернативное", "Այլընտրանքային"),
    "Historic": ("Tarixi", "Историческое", "Պատմական"),
    "Transliteration": ("Transliterasiya", "Транслитерация", "Տառադարձություն"),
    "Latin": ("Latın", "Латиница", "Լատինական"),
    "Cyrillic": ("Kiril", "Кириллица", "Կյուրեղագիր"),
    "Georgian": ("Gürcü", "Грузинское письмо", "Վրացական"),
    "Arabic": ("Ərəb", "Арабское письмо", "Արաբական"),
    "Greek": ("Yunan", "Греческое письмо", "Հունական"),
    "Hebrew": ("İvrit", "Еврейское письмо", "Եբրայական"),
    # Facility kinds and statuses
    "School": ("Məktəb", "Школа", "Դպրոց"),
    "Kindergarten": ("Uşaq bağçası", "Детский сад", "Մանկապարտեզ"),
    "Hospital": ("Xəstəxana", "Больница", "Հիվանդանոց"),
    "Field hospital": ("Səhra xəstəxanası", "Полевой госпиталь", "Դաշտային հոսպիտալ"),
    "Health post / polyclinic": (
        "Tibb məntəqəsi / poliklinika",
        "Медпункт / поликлиника",
        "Բուժկետ / պոլիկլինիկա",
    ),
    "Ambulance station": (
        "Təcili yardım stansiyası",
        "Станция скорой помощи",
        "Շտապ օգնության կայան",
    ),
    "Fire station": ("Yanğınsöndürmə hissəsi", "Пожарная часть", "Հրշեջ ջոկատ"),
    "Boiler house / heating plant": (
        "Qazanxana / istilik stansiyası",
        "Котельная / теплостанция",
        "Կաթսայատուն / ջերմակայան",
    ),
    "Bakery": ("Çörək zavodu", "Пекарня", "Հացի փուռ"),
    "Fuel depot": ("Yanacaq anbarı", "Склад топлива", "Վառելիքի պահեստ"),
    "Distribution point": ("Paylama məntəqəsi", "Пункт раздачи", "Բաշխման կետ"),
    "Water point": ("Su məntəqəsi", "Пункт водоснабжения", "Ջրառի կետ"),
    "Collective shelter": (
        "Kollektiv sığınacaq",
        "Пункт временного размещения",
        "Կոլեկտիվ ապաստարան",
    ),
    "Checkpoint / crossing point": (
        "Nəzarət-buraxılış / keçid məntəqəsi",
        "КПП / пункт пропуска",
        "Անցակետ / անցման կետ",
    ),
    "Operating": ("İşləyir", "Работает", "Գործում է"),
    "Damaged": ("Zədələnib", "Повреждён", "Վնասված"),
    # Fuels
    "Diesel": ("Dizel", "Дизельное топливо", "Դիզելային վառելիք"),
    "Heating oil": ("Peç yanacağı", "Печное топливо", "Ջեռուցման մազութ"),
    "Natural gas": ("Təbii qaz", "Природный газ", "Բնական գազ"),
    "LPG": ("Maye qaz (LPG)", "Сжиженный газ (СУГ)", "Հեղուկ գազ (LPG)"),
    "Coal": ("Kömür", "Уголь", "Ածուխ"),
    "Wood": ("Odun", "Дрова", "Վառելափայտ"),
    "Electricity": ("Elektrik enerjisi", "Электроэнергия", "Էլեկտրաէներգիա"),
    # Roads
    "Open": ("Açıq", "Открыто", "Բաց"),
    "Restricted": ("Məhdudlaşdırılıb", "Ограничено", "Սահմանափակված"),
    "Paved": ("Asfalt", "Асфальт", "Ասֆալտապատ"),
    "Gravel": ("Çınqıl", "Гравий", "Խճապատ"),
    "Dirt": ("Torpaq", "Грунт", "Հողային"),
    "Good": ("Yaxşı", "Хорошее", "Լավ"),
    "Fair": ("Kafi", "Удовлетворительное", "Բավարար"),
    "Poor": ("Pis", "Плохое", "Վատ"),
    "Light vehicle (car, 4×4, ambulance)": (
        "Yüngül nəqliyyat (minik, 4×4, təcili yardım)",
        "Лёгкий транспорт (легковой, 4×4, скорая помощь)",
        "Թեթև տրանսպորտ (մարդատար, 4×4, շտապ օգնություն)",
    ),
    "Truck (up to 12 t)": (
        "Yük maşını (12 t-a qədər)",
        "Грузовик (до 12 т)",
        "Բեռնատար (մինչև 12 տ)",
    ),
    "Heavy truck (over 12 t)": (
        "Ağır yük maşını (12 t-dan çox)",
        "Тяжёлый грузовик (свыше 12 т)",
        "Ծանր բեռնատար (12 տ-ից ավելի)",
    ),
    "Junction": ("Qovşaq", "Развязка", "Հանգույց"),
    # Item categories, units, hazard classes
    "Food": ("Ərzaq", "Продовольствие", "Սնունդ"),
    "Bread": ("Çörək", "Хлеб", "Հաց"),
    "Fuel": ("Yanacaq", "Топливо", "Վառելիք"),
    "Medical supplies": (
        "Tibbi ləvazimat",
        "Медицинские расходные материалы",
        "Բժշկական պարագաներ",
    ),
    "Medicines": ("Dərmanlar", "Лекарства", "Դեղորայք"),
    "Hygiene / sanitary": ("Gigiyena / sanitariya", "Гигиена / санитария", "Հիգիենա / սանիտարիա"),
    "Non-food items": (
        "Qeyri-ərzaq malları",
        "Непродовольственные товары",
        "Ոչ պարենային ապրանքներ",
    ),
    "Shelter": ("Sığınacaq", "Жильё", "Ապաստան"),
    "Water": ("Su", "Вода", "Ջուր"),
    "kg": ("kq", "кг", "կգ"),
    "litre": ("litr", "литр", "լիտր"),
    "piece": ("ədəd", "шт.", "հատ"),
    "kit": ("dəst", "набор", "հավաքածու"),
    "ration": ("pay", "паёк", "չափաբաժին"),
    "parcel": ("bağlama", "посылка", "ծանրոց"),
    "m³": ("m³", "м³", "մ³"),
    "Not hazardous": ("Təhlükəli deyil", "Не опасный", "Վտանգավոր չէ"),
    "2.1 Flammable gas (LPG)": (
        "2.1 Alışan qaz (LPG)",
        "2.1 Легковоспламеняющийся газ (СУГ)",
        "2.1 Դյուրավառ գազ (LPG)",
    ),
    "3 Flammable liquid (diesel, heating oil, petrol)": (
        "3 Alışan maye (dizel, peç yanacağı, benzin)",
        "3 Легковоспламеняющаяся жидкость (дизельное топливо, печное топливо, бензин)",
        "3 Դյուրավառ հեղուկ (դիզել, ջեռուցման մազութ, բենզին)",
    ),
    "4.1 Flammable solid": (
        "4.1 Alışan bərk maddə",
        "4.1 Легковоспламеняющееся твёрдое вещество",
        "4.1 Դյուրավառ պինդ նյութ",
    ),
    "6.1 Toxic": ("6.1 Zəhərli", "6.1 Токсичное", "6.1 Թունավոր"),
    "8 Corrosive": ("8 Korroziyaedici", "8 Коррозионное", "8 Քայքայիչ"),
    "9 Miscellaneous": ("9 Müxtəlif", "9 Прочее", "9 Տարբեր"),
    # Stock movements and pledge statuses
    "Receipt": ("Mədaxil", "Поступление", "Մուտք"),
    "Transfer out": ("Köçürmə (çıxış)", "Перемещение (расход)", "Տեղափոխում (ելք)"),
    "Transfer in": ("Köçürmə (giriş)", "Перемещение (приход)", "Տեղափոխում (մուտք)"),
    "Loss / damage": ("İtki / zədələnmə", "Потеря / порча", "Կորուստ / վնաս"),
    "Count adjustment": ("Sayım düzəlişi", "Корректировка по инвентаризации", "Հաշվառման ճշգրտում"),
    "Return": ("Qaytarma", "Возврат", "Վերադարձ"),
    "Pledged": ("Vəd edilib", "Обещано", "Խոստացված"),
    "In transit": ("Yoldadır", "В пути", "Ճանապարհին"),
    "Received": ("Qəbul edilib", "Получено", "Ստացված"),
    # Model names and fields (admin, forms)
    "names": ("adlar", "названия", "անվանումներ"),
    "acronym": ("qısaltma", "аббревиатура", "հապավում"),
    "kind": ("növ", "тип", "տեսակ"),
    "active": ("aktiv", "активно", "ակտիվ"),
    "organisation": ("təşkilat", "организация", "կազմակերպություն"),
    "organisations": ("təşkilatlar", "организации", "կազմակերպություններ"),
    "language": ("dil", "язык", "լեզու"),
    "must change password": (
        "şifrəni dəyişməlidir",
        "должен сменить пароль",
        "պետք է փոխի գաղտնաբառը",
    ),
    "user": ("istifadəçi", "пользователь", "օգտատեր"),
    "users": ("istifadəçilər", "пользователи", "օգտատերեր"),
    "role": ("rol", "роль", "դեր"),
    "areas": ("ərazilər", "районы", "տարածքներ"),
    "membership": ("üzvlük", "членство", "անդամակցություն"),
    "memberships": ("üzvlüklər", "членства", "անդամակցություններ"),
    "sector": ("sektor", "сектор", "ոլորտ"),
    "activity": ("fəaliyyət", "деятельность", "գործունեություն"),
    "since": ("başlama tarixi", "с", "սկսած"),
    "until": ("bitmə tarixi", "по", "մինչև"),
    "presence (3W)": ("iştirak (3W)", "присутствие (3W)", "ներկայություն (3W)"),
    "presences (3W)": ("iştiraklar (3W)", "записи присутствия (3W)", "ներկայություններ (3W)"),
    "created at": ("yaradılma vaxtı", "создано", "ստեղծման ժամանակը"),
    "updated at": ("yenilənmə vaxtı", "обновлено", "թարմացման ժամանակը"),
    "created by": ("yaradan", "кем создано", "ստեղծող"),
    "updated by": ("yeniləyən", "кем обновлено", "թարմացնող"),
    "at": ("vaxt", "время", "ժամանակ"),
    "actor": ("icraçı", "исполнитель", "կատարող"),
    "action": ("əməliyyat", "действие", "գործողություն"),
    "object type": ("obyektin tipi", "тип объекта", "օբյեկտի տեսակ"),
    "object id": ("obyektin id-si", "id объекта", "օբյեկտի id"),
    "object": ("obyekt", "объект", "օբյեկտ"),
    "before": ("əvvəl", "до", "առաջ"),
    "after": ("sonra", "после", "հետո"),
    "audit event": ("audit hadisəsi", "событие аудита", "աուդիտի իրադարձություն"),
    "audit events": ("audit hadisələri", "события аудита", "աուդիտի իրադարձություններ"),
    "reference": ("istinad", "номер", "համար"),
    "requested for": ("kimin üçün", "для кого", "ում համար"),
    "requesting organisation": (
        "sorğu verən təşkilat",
        "организация-заявитель",
        "հայտատու կազմակերպություն",
    ),
    "people covered": ("əhatə olunan şəxslər", "охвачено людей", "ընդգրկված մարդիկ"),
    "priority": ("prioritet", "приоритет", "առաջնահերթություն"),
    "needed from": ("nə vaxtdan lazımdır", "нужно с", "անհրաժեշտ է սկսած"),
    "needed by": ("nə vaxtadək lazımdır", "нужно до", "անհրաժեշտ է մինչև"),
    "justification": ("əsaslandırma", "обоснование", "հիմնավորում"),
    "source": ("mənbə", "источник", "աղբյուր"),
    "working-group decision": (
        "işçi qrupunun qərarı",
        "решение рабочей группы",
        "աշխատանքային խմբի որոշում",
    ),
    "status": ("status", "статус", "կարգավիճակ"),
    "reason": ("səbəb", "причина", "պատճառ"),
    "status changed at": (
        "statusun dəyişmə vaxtı",
        "статус изменён",
        "կարգավիճակի փոփոխման ժամանակը",
    ),
    "request": ("sorğu", "заявка", "հայտ"),
    "requests": ("sorğular", "заявки", "հայտեր"),
    "service": ("xidmət", "услуга", "ծառայություն"),
    "quantity": ("miqdar", "количество", "քանակ"),
    "unit": ("vahid", "единица", "միավոր"),
    "planned": ("planlaşdırılıb", "запланировано", "պլանավորված"),
    "dispatched": ("göndərilib", "отгружено", "առաքված"),
    "delivered": ("çatdırılıb", "доставлено", "հանձնված"),
    "request line": ("sorğu sətri", "позиция заявки", "հայտի տող"),
    "request lines": ("sorğu sətirləri", "позиции заявки", "հայտի տողեր"),
    "comment": ("şərh", "комментарий", "մեկնաբանություն"),
    "code": ("kod", "код", "կոդ"),
    "name": ("ad", "название", "անվանում"),
    "latitude": ("enlik", "широта", "լայնություն"),
    "longitude": ("uzunluq", "долгота", "երկայնություն"),
    "elevation (m)": ("hündürlük (m)", "высота (м)", "բարձրություն (մ)"),
    "monthly mean temperature (°C)": (
        "aylıq orta temperatur (°C)",
        "среднемесячная температура (°C)",
        "ամսական միջին ջերմաստիճան (°C)",
    ),
    "estimator": ("hesablayıcı", "калькулятор", "հաշվիչ"),
    "parameters": ("parametrlər", "параметры", "պարամետրեր"),
    "level": ("səviyyə", "уровень", "մակարդակ"),
    "GeoNames admin1 code": ("GeoNames admin1 kodu", "код admin1 GeoNames", "GeoNames admin1 կոդ"),
    "geometry": ("həndəsə", "геометрия", "երկրաչափություն"),
    "administrative area": ("inzibati ərazi", "административная единица", "վարչական միավոր"),
    "administrative areas": ("inzibati ərazilər", "административные единицы", "վարչական միավորներ"),
    "country": ("ölkə", "страна", "երկիր"),
    "admin level 1": ("inzibati səviyyə 1", "административный уровень 1", "վարչական մակարդակ 1"),
    "admin level 2": ("inzibati səviyyə 2", "административный уровень 2", "վարչական մակարդակ 2"),
    "GeoNames id": ("GeoNames id", "id GeoNames", "GeoNames id"),
    "place": ("yer", "населённый пункт", "բնակավայր"),
    "places": ("yerlər", "населённые пункты", "բնակավայրեր"),
    "language (BCP-47)": ("dil (BCP-47)", "язык (BCP-47)", "լեզու (BCP-47)"),
    "script": ("əlifba", "письменность", "գիր"),
    "type": ("tip", "тип", "տեսակ"),
    "preferred in its language": (
        "öz dilində üstünlük verilən",
        "предпочтительное в своём языке",
        "նախընտրելի իր լեզվում",
    ),
    "place name": ("yer adı", "название населённого пункта", "բնակավայրի անվանում"),
    "place names": ("yer adları", "названия населённых пунктов", "բնակավայրերի անվանումներ"),
    "population": ("əhali", "население", "բնակչություն"),
    "as of": ("tarixə", "по состоянию на", "դրությամբ"),
    "notes": ("qeydlər", "примечания", "նշումներ"),
    "population estimate": (
        "əhali təxmini",
        "оценка численности населения",
        "բնակչության գնահատական",
    ),
    "population estimates": (
        "əhali təxminləri",
        "оценки численности населения",
        "բնակչության գնահատականներ",
    ),
    "operator": ("operator", "оператор", "օպերատոր"),
    "status reason": ("statusun səbəbi", "причина статуса", "կարգավիճակի պատճառ"),
    "status since": ("status tarixi", "статус с", "կարգավիճակը՝ սկսած"),
    "pupils": ("şagirdlər", "учащиеся", "աշակերտներ"),
    "beds": ("çarpayılar", "койки", "մահճակալներ"),
    "people": ("şəxslər", "люди", "մարդիկ"),
    "heated floor area (m²)": (
        "qızdırılan döşəmə sahəsi (m²)",
        "отапливаемая площадь (м²)",
        "ջեռուցվող մակերես (մ²)",
    ),
    "heating fuel": ("istilik yanacağı", "топливо для отопления", "ջեռուցման վառելիք"),
    "boiler rating (kW)": (
        "qazanın gücü (kVt)",
        "мощность котла (кВт)",
        "կաթսայի հզորություն (կՎտ)",
    ),
    "boiler efficiency (0-1)": (
        "qazanın səmərəliliyi (0-1)",
        "КПД котла (0-1)",
        "կաթսայի ՕԳԳ (0-1)",
    ),
    "tank capacity (litres)": (
        "çənin tutumu (litr)",
        "ёмкость резервуара (литров)",
        "բաքի տարողություն (լիտր)",
    ),
    "operating hours": ("iş saatları", "часы работы", "աշխատանքային ժամեր"),
    "facility": ("obyekt", "объект", "հաստատություն"),
    "facilities": ("obyektlər", "объекты", "հաստատություններ"),
    "OSM node id": ("OSM node id", "id узла OSM", "OSM հանգույցի id"),
    "road node": ("yol qovşağı", "узел дорожной сети", "ճանապարհային հանգույց"),
    "road nodes": ("yol qovşaqları", "узлы дорожной сети", "ճանապարհային հանգույցներ"),
    "road number": ("yol nömrəsi", "номер дороги", "ճանապարհի համար"),
    "length (km)": ("uzunluq (km)", "протяжённость (км)", "երկարություն (կմ)"),
    "speed, light vehicles (km/h)": (
        "sürət, yüngül nəqliyyat (km/saat)",
        "скорость, лёгкий транспорт (км/ч)",
        "արագություն, թեթև տրանսպորտ (կմ/ժ)",
    ),
    "speed, trucks (km/h)": (
        "sürət, yük maşınları (km/saat)",
        "скорость, грузовики (км/ч)",
        "արագություն, բեռնատարներ (կմ/ժ)",
    ),
    "speed, heavy trucks (km/h)": (
        "sürət, ağır yük maşınları (km/saat)",
        "скорость, тяжёлые грузовики (км/ч)",
        "արագություն, ծանր բեռնատարներ (կմ/ժ)",
    ),
    "surface": ("örtük", "покрытие", "ծածկ"),
    "condition": ("vəziyyət", "состояние", "վիճակ"),
    "max weight (t)": ("maks. çəki (t)", "макс. масса (т)", "առավելագույն քաշ (տ)"),
    "one way": ("birtərəfli", "одностороннее движение", "միակողմանի"),
    "OSM way id": ("OSM way id", "id линии OSM", "OSM գծի id"),
    "road segment": ("yol seqmenti", "участок дороги", "ճանապարհահատված"),
    "road segments": ("yol seqmentləri", "участки дорог", "ճանապարհահատվածներ"),
    "route": ("marşrut", "маршрут", "երթուղի"),
    "routes": ("marşrutlar", "маршруты", "երթուղիներ"),
    "sequence": ("ardıcıllıq", "порядковый номер", "հերթական համար"),
    "category": ("kateqoriya", "категория", "կատեգորիա"),
    "weight per unit (kg)": ("vahidin çəkisi (kq)", "масса единицы (кг)", "միավորի քաշ (կգ)"),
    "volume per unit (m³)": ("vahidin həcmi (m³)", "объём единицы (м³)", "միավորի ծավալ (մ³)"),
    "perishable": ("tez xarab olan", "скоропортящийся", "արագ փչացող"),
    "shelf life (days)": ("saxlama müddəti (gün)", "срок хранения (дней)", "պահպանման ժամկետ (օր)"),
    "cold chain": ("soyuq zəncir", "холодовая цепь", "սառը շղթա"),
    "hazard class": ("təhlükə sinfi", "класс опасности", "վտանգավորության դաս"),
    "HXL tags": ("HXL teqləri", "теги HXL", "HXL պիտակներ"),
    "e.g. #item+fuel+diesel": (
        "məs. #item+fuel+diesel",
        "напр. #item+fuel+diesel",
        "օր.՝ #item+fuel+diesel",
    ),
    "item": ("mal", "товар", "ապրանք"),
    "items": ("mallar", "товары", "ապրանքներ"),
    "quantity per kit": ("dəstdəki miqdar", "количество в наборе", "քանակը հավաքածուում"),
    "managed by": ("idarə edən", "под управлением", "կառավարող"),
    "warehouse": ("anbar", "склад", "պահեստ"),
    "warehouses": ("anbarlar", "склады", "պահեստներ"),
    "lot": ("partiya", "партия", "խմբաքանակ"),
    "expiry date": ("son istifadə tarixi", "срок годности", "պիտանիության ժամկետ"),
    "donor": ("donor", "донор", "դոնոր"),
    "occurred at": ("baş vermə vaxtı", "дата и время", "տեղի ունենալու ժամանակը"),
    "reference document": ("istinad sənədi", "документ-основание", "հիմք հանդիսացող փաստաթուղթ"),
    "group": ("qrup", "группа", "խումբ"),
    "stock transaction": ("ehtiyat əməliyyatı", "операция с запасами", "պաշարի գործարք"),
    "stock transactions": ("ehtiyat əməliyyatları", "операции с запасами", "պաշարի գործարքներ"),
    "expected arrival": ("gözlənilən çatma vaxtı", "ожидаемое поступление", "սպասվող ժամանում"),
    "destination": ("təyinat yeri", "пункт назначения", "նպատակակետ"),
    "pledge": ("öhdəlik", "обязательство донора", "խոստում"),
    "pledges": ("öhdəliklər", "обязательства доноров", "խոստումներ"),
    "pledge received": ("öhdəlik üzrə qəbul", "поступление по обязательству", "խոստման ստացում"),
    # Messages and errors
    "The request could not be completed.": (
        "Sorğunu yerinə yetirmək mümkün olmadı.",
        "Не удалось выполнить запрос.",
        "Հարցումը հնարավոր չեղավ կատարել։",
    ),
    "The input is not valid.": (
        "Daxil edilən məlumat düzgün deyil.",
        "Введённые данные некорректны.",
        "Մուտքագրված տվյալները վավեր չեն։",
    ),
    "You are not allowed to do this.": (
        "Bunu etməyə icazəniz yoxdur.",
        "У вас нет права на это действие.",
        "Դուք իրավասու չեք դա անելու։",
    ),
    "Not found.": ("Tapılmadı.", "Не найдено.", "Չի գտնվել։"),
    "This conflicts with the current state.": (
        "Bu, cari vəziyyətlə ziddiyyət təşkil edir.",
        "Это противоречит текущему состоянию.",
        "Սա հակասում է ընթացիկ վիճակին։",
    ),
    "The file has errors; nothing was imported.": (
        "Faylda xətalar var; heç nə idxal edilmədi.",
        "В файле есть ошибки; ничего не импортировано.",
        "Ֆայլում սխալներ կան. ոչինչ չի ներմուծվել։",
    ),
    "There is no import or export of this kind.": (
        "Bu növ idxal və ya ixrac yoxdur.",
        "Импорта или экспорта такого типа нет.",
        "Այս տեսակի ներմուծում կամ արտահանում չկա։",
    ),
    "Not a number.": ("Rəqəm deyil.", "Не число.", "Թիվ չէ։"),
    "Must not be negative.": (
        "Mənfi olmamalıdır.",
        "Не может быть отрицательным.",
        "Չպետք է բացասական լինի։",
    ),
    "Must be greater than zero.": (
        "Sıfırdan böyük olmalıdır.",
        "Должно быть больше нуля.",
        "Պետք է մեծ լինի զրոյից։",
    ),
    "Not a whole number.": ("Tam ədəd deyil.", "Не целое число.", "Ամբողջ թիվ չէ։"),
    "Not a date (use YYYY-MM-DD).": (
        "Tarix deyil (İİİİ-AA-GG formatından istifadə edin).",
        "Не дата (используйте формат ГГГГ-ММ-ДД).",
        "Ամսաթիվ չէ (օգտագործեք ՏՏՏՏ-ԱԱ-ՕՕ ձևաչափը)։",
    ),
    "Not yes/no (use true or false).": (
        "Bəli/xeyr deyil (true və ya false yazın).",
        "Не «да/нет» (используйте true или false).",
        "Այո/ոչ չէ (օգտագործեք true կամ false)։",
    ),
    "Not valid JSON.": ("Düzgün JSON deyil.", "Некорректный JSON.", "Վավեր JSON չէ։"),
    "Not one of: %(values)s.": (
        "Bunlardan biri deyil: %(values)s.",
        "Не одно из значений: %(values)s.",
        "Հետևյալներից ոչ մեկը չէ՝ %(values)s։",
    ),
    "Not a GeoJSON FeatureCollection.": (
        "GeoJSON FeatureCollection deyil.",
        "Не GeoJSON FeatureCollection.",
        "GeoJSON FeatureCollection չէ։",
    ),
    "Unknown format %(fmt)s.": (
        "Naməlum format: %(fmt)s.",
        "Неизвестный формат %(fmt)s.",
        "Անհայտ ձևաչափ՝ %(fmt)s։",
    ),
    "Cannot tell the format of %(name)s; use .csv, .xlsx or .geojson.": (
        "%(name)s faylının formatını müəyyən etmək mümkün deyil; .csv, .xlsx və ya .geojson istifadə edin.",
        "Не удаётся определить формат %(name)s; используйте .csv, .xlsx или .geojson.",
        "Հնարավոր չէ որոշել %(name)s-ի ձևաչափը. օգտագործեք .csv, .xlsx կամ .geojson։",
    ),
    "Required column is missing.": (
        "Tələb olunan sütun yoxdur.",
        "Отсутствует обязательный столбец.",
        "Պարտադիր սյունակը բացակայում է։",
    ),
    "A value is required.": ("Dəyər tələb olunur.", "Требуется значение.", "Արժեքը պարտադիր է։"),
    "Ambiguous place name; candidates: %(c)s.": (
        "Yer adı birmənalı deyil; variantlar: %(c)s.",
        "Неоднозначное название населённого пункта; варианты: %(c)s.",
        "Բնակավայրի անվանումը միանշանակ չէ. տարբերակներ՝ %(c)s։",
    ),
    "No place matches this name.": (
        "Bu ada uyğun yer yoxdur.",
        "Нет населённого пункта с таким названием.",
        "Այս անվանմամբ բնակավայր չկա։",
    ),
    "No organisation with this acronym.": (
        "Bu qısaltma ilə təşkilat yoxdur.",
        "Нет организации с такой аббревиатурой.",
        "Այս հապավումով կազմակերպություն չկա։",
    ),
    "No facility with this code.": (
        "Bu kodla obyekt yoxdur.",
        "Нет объекта с таким кодом.",
        "Այս կոդով հաստատություն չկա։",
    ),
    "Give a facility or a place.": (
        "Obyekt və ya yer göstərin.",
        "Укажите объект или населённый пункт.",
        "Նշեք հաստատություն կամ բնակավայր։",
    ),
    "A facility request needs the facility code.": (
        "Obyekt üçün sorğuda obyektin kodu olmalıdır.",
        "Для заявки на объект нужен код объекта.",
        "Հաստատության հայտի համար անհրաժեշտ է հաստատության կոդը։",
    ),
    "No item with this code.": (
        "Bu kodla mal yoxdur.",
        "Нет товара с таким кодом.",
        "Այս կոդով ապրանք չկա։",
    ),
    "Each line needs an item or a service.": (
        "Hər sətirdə mal və ya xidmət olmalıdır.",
        "В каждой позиции должен быть товар или услуга.",
        "Յուրաքանչյուր տողում պետք է լինի ապրանք կամ ծառայություն։",
    ),
    "'Needed by' is before 'needed from'.": (
        "'Nə vaxtadək' tarixi 'nə vaxtdan' tarixindən əvvəldir.",
        "Дата «нужно до» раньше даты «нужно с».",
        "«Անհրաժեշտ է մինչև» ամսաթիվը «անհրաժեշտ է սկսած» ամսաթվից առաջ է։",
    ),
    "More delivered than requested.": (
        "Sorğulanandan çox çatdırılıb.",
        "Доставлено больше, чем запрошено.",
        "Հանձնվել է ավելին, քան հայցվել էր։",
    ),
    "You may not record requests of this organisation, in this area or status.": (
        "Bu təşkilatın, bu ərazidə və ya bu statusda sorğularını qeyd etmək icazəniz yoxdur.",
        "Вы не можете записывать заявки этой организации, в этом районе или с этим статусом.",
        "Դուք չեք կարող գրանցել այս կազմակերպության, այս տարածքի կամ այս կարգավիճակի հայտեր։",
    ),
    "A request with this reference exists.": (
        "Bu istinadla sorğu artıq mövcuddur.",
        "Заявка с таким номером уже существует.",
        "Այս համարով հայտ արդեն կա։",
    ),
    "Rows of one request must agree on its request columns.": (
        "Bir sorğunun sətirləri sorğu sütunlarında üst-üstə düşməlidir.",
        "Строки одной заявки должны совпадать в столбцах заявки.",
        "Մեկ հայտի տողերը պետք է համընկնեն հայտի սյունակներում։",
    ),
    "Rows of one request must be consecutive.": (
        "Bir sorğunun sətirləri ardıcıl olmalıdır.",
        "Строки одной заявки должны идти подряд.",
        "Մեկ հայտի տողերը պետք է իրար հաջորդեն։",
    ),
    "This request cannot take that step in its current status.": (
        "Bu sorğu cari statusunda bu addımı ata bilməz.",
        "Для заявки в текущем статусе этот шаг недоступен.",
        "Հայտի ընթացիկ կարգավիճակում այս քայլը հնարավոր չէ։",
    ),
    "An open request from the same requester for the same item and overlapping dates exists. Check it, then confirm to submit anyway.": (
        "Eyni sorğu verəndən eyni mal üçün və üst-üstə düşən tarixlərlə açıq sorğu mövcuddur. Onu yoxlayın, sonra yenə də təqdim etmək üçün təsdiqləyin.",
        "Уже есть открытая заявка того же заявителя на тот же товар с пересекающимися датами. Проверьте её, затем подтвердите, чтобы всё равно подать.",
        "Նույն հայտատուից նույն ապրանքի և համընկնող ամսաթվերով բաց հայտ արդեն կա։ Ստուգեք այն, ապա հաստատեք՝ այնուամենայնիվ ներկայացնելու համար։",
    ),
    "The step “%(step)s” is not possible for a %(status)s request.": (
        "“%(status)s” statusunda olan sorğu üçün “%(step)s” mümkün deyil.",
        "Для заявки в статусе «%(status)s» действие «%(step)s» невозможно.",
        "«%(status)s» կարգավիճակով հայտի համար «%(step)s» գործողությունը հնարավոր չէ։",
    ),
    "Give a reason.": ("Səbəb göstərin.", "Укажите причину.", "Նշեք պատճառը։"),
    "Choose the facility the request is for.": (
        "Sorğunun aid olduğu obyekti seçin.",
        "Выберите объект, для которого заявка.",
        "Ընտրեք այն հաստատությունը, որի համար է հայտը։",
    ),
    "Choose the place the request is for.": (
        "Sorğunun aid olduğu yeri seçin.",
        "Выберите населённый пункт, для которого заявка.",
        "Ընտրեք այն բնակավայրը, որի համար է հայտը։",
    ),
    "Give the number of people in the group.": (
        "Qrupdakı şəxslərin sayını göstərin.",
        "Укажите число людей в группе.",
        "Նշեք խմբում մարդկանց թիվը։",
    ),
    "A request needs at least one line.": (
        "Sorğuda ən azı bir sətir olmalıdır.",
        "В заявке должна быть хотя бы одна позиция.",
        "Հայտը պետք է ունենա առնվազն մեկ տող։",
    ),
    "Quantities must be greater than zero.": (
        "Miqdarlar sıfırdan böyük olmalıdır.",
        "Количества должны быть больше нуля.",
        "Քանակները պետք է մեծ լինեն զրոյից։",
    ),
    "Planned quantity out of range.": (
        "Planlaşdırılmış miqdar icazə verilən hüdudlardan kənardır.",
        "Запланированное количество вне допустимого диапазона.",
        "Պլանավորված քանակը թույլատրելի սահմաններից դուրս է։",
    ),
    "Nothing to dispatch.": (
        "Göndəriləcək heç nə yoxdur.",
        "Нечего отгружать.",
        "Առաքելու բան չկա։",
    ),
    "More delivered than dispatched.": (
        "Göndəriləndən çox çatdırılıb.",
        "Доставлено больше, чем отгружено.",
        "Հանձնվել է ավելին, քան առաքվել էր։",
    ),
    "The comment is empty.": ("Şərh boşdur.", "Комментарий пуст.", "Մեկնաբանությունը դատարկ է։"),
    "Unknown parameters: %(names)s": (
        "Naməlum parametrlər: %(names)s",
        "Неизвестные параметры: %(names)s",
        "Անհայտ պարամետրեր՝ %(names)s",
    ),
    "Give 12 monthly mean temperatures.": (
        "12 aylıq orta temperatur göstərin.",
        "Укажите 12 среднемесячных температур.",
        "Նշեք 12 ամսական միջին ջերմաստիճան։",
    ),
    "The place %(name)s is ambiguous: %(candidates)s.": (
        "%(name)s yeri birmənalı deyil: %(candidates)s.",
        "Населённый пункт %(name)s определён неоднозначно: %(candidates)s.",
        "%(name)s բնակավայրը միանշանակ չէ՝ %(candidates)s։",
    ),
    "No place matches %(name)s.": (
        "%(name)s ilə uyğun gələn yer yoxdur.",
        "Нет населённого пункта, соответствующего %(name)s.",
        "%(name)s-ին համապատասխանող բնակավայր չկա։",
    ),
    "Request %(ref)s submitted.": (
        "%(ref)s sorğusu təqdim edildi.",
        "Заявка %(ref)s подана.",
        "%(ref)s հայտը ներկայացվեց։",
    ),
    "Choose the warehouse to dispatch from.": (
        "Göndəriləcək anbarı seçin.",
        "Выберите склад, с которого отгружать.",
        "Ընտրեք պահեստը, որտեղից պետք է առաքել։",
    ),
    "Done: %(step)s.": (
        "Yerinə yetirildi: %(step)s.",
        "Выполнено: %(step)s.",
        "Կատարված է՝ %(step)s։",
    ),
    "%(n)s draft requests created (%(s)s facilities skipped: no data, no operator or an open request exists).": (
        "%(n)s sorğu qaralaması yaradıldı (%(s)s obyekt buraxıldı: məlumat yoxdur, operator yoxdur və ya açıq sorğu mövcuddur).",
        "Создано черновиков заявок: %(n)s (пропущено объектов: %(s)s — нет данных, нет оператора или уже есть открытая заявка).",
        "Ստեղծվեց %(n)s հայտի սևագիր (բաց թողնվեց %(s)s հաստատություն. տվյալներ չկան, օպերատոր չկա կամ բաց հայտ արդեն կա)։",
    ),
    "Parameters saved.": (
        "Parametrlər saxlanıldı.",
        "Параметры сохранены.",
        "Պարամետրերը պահպանվեցին։",
    ),
    "Not a P-code (two country letters, then A-Z, 0-9, '-').": (
        "P-kod deyil (iki ölkə hərfi, sonra A-Z, 0-9, '-').",
        "Не P-код (две буквы страны, затем A-Z, 0-9, '-').",
        "P-կոդ չէ (երկրի երկու տառ, ապա A-Z, 0-9, '-')։",
    ),
    "P-code does not start with an ISO 3166-1 country code.": (
        "P-kod ISO 3166-1 ölkə kodu ilə başlamır.",
        "P-код не начинается с кода страны ISO 3166-1.",
        "P-կոդը չի սկսվում ISO 3166-1 երկրի կոդով։",
    ),
    "Latitude must be between -90 and 90.": (
        "Enlik -90 ilə 90 arasında olmalıdır.",
        "Широта должна быть от -90 до 90.",
        "Լայնությունը պետք է լինի -90-ից 90։",
    ),
    "Longitude must be between -180 and 180.": (
        "Uzunluq -180 ilə 180 arasında olmalıdır.",
        "Долгота должна быть от -180 до 180.",
        "Երկայնությունը պետք է լինի -180-ից 180։",
    ),
    "Must be a fraction above 0 and at most 1.": (
        "0-dan böyük və 1-dən çox olmayan kəsr olmalıdır.",
        "Должно быть дробью больше 0 и не больше 1.",
        "Պետք է լինի 0-ից մեծ և 1-ից ոչ մեծ կոտորակ։",
    ),
    "Names must be a JSON list.": (
        "Adlar JSON siyahısı olmalıdır.",
        "Названия должны быть списком JSON.",
        "Անվանումները պետք է լինեն JSON ցուցակ։",
    ),
    "Each name needs a 'name'.": (
        "Hər adın 'name' sahəsi olmalıdır.",
        "У каждого названия должно быть поле 'name'.",
        "Յուրաքանչյուր անվանում պետք է ունենա 'name' դաշտ։",
    ),
    "Unknown name type %(type)s.": (
        "Naməlum ad tipi: %(type)s.",
        "Неизвестный тип названия %(type)s.",
        "Անհայտ անվանման տեսակ՝ %(type)s։",
    ),
    "Unknown admin area P-code.": (
        "Naməlum inzibati ərazi P-kodu.",
        "Неизвестный P-код административной единицы.",
        "Վարչական միավորի անհայտ P-կոդ։",
    ),
    "This P-code appears twice in the file.": (
        "Bu P-kod faylda iki dəfə var.",
        "Этот P-код встречается в файле дважды.",
        "Այս P-կոդը ֆայլում երկու անգամ է հանդիպում։",
    ),
    "A place needs at least one name.": (
        "Yerin ən azı bir adı olmalıdır.",
        "У населённого пункта должно быть хотя бы одно название.",
        "Բնակավայրը պետք է ունենա առնվազն մեկ անվանում։",
    ),
    "Unknown place P-code.": (
        "Naməlum yer P-kodu.",
        "Неизвестный P-код населённого пункта.",
        "Բնակավայրի անհայտ P-կոդ։",
    ),
    "Ambiguous place name (candidates: %(codes)s); give the P-code.": (
        "Yer adı birmənalı deyil (variantlar: %(codes)s); P-kodu göstərin.",
        "Неоднозначное название населённого пункта (варианты: %(codes)s); укажите P-код.",
        "Բնակավայրի անվանումը միանշանակ չէ (տարբերակներ՝ %(codes)s). նշեք P-կոդը։",
    ),
    "Give the place P-code or its name.": (
        "Yerin P-kodunu və ya adını göstərin.",
        "Укажите P-код или название населённого пункта.",
        "Նշեք բնակավայրի P-կոդը կամ անվանումը։",
    ),
    "This code appears twice in the file.": (
        "Bu kod faylda iki dəfə var.",
        "Этот код встречается в файле дважды.",
        "Այս կոդը ֆայլում երկու անգամ է հանդիպում։",
    ),
    "Unknown organisation acronym.": (
        "Naməlum təşkilat qısaltması.",
        "Неизвестная аббревиатура организации.",
        "Կազմակերպության անհայտ հապավում։",
    ),
    "Give both latitude and longitude, or neither.": (
        "Həm enliyi, həm uzunluğu göstərin və ya heç birini göstərməyin.",
        "Укажите и широту, и долготу или ни то, ни другое.",
        "Նշեք և՛ լայնությունը, և՛ երկայնությունը, կամ ոչ մեկը։",
    ),
    "A segment must join two different nodes.": (
        "Seqment iki müxtəlif qovşağı birləşdirməlidir.",
        "Участок должен соединять два разных узла.",
        "Հատվածը պետք է միացնի երկու տարբեր հանգույց։",
    ),
    "Give a reason for closing or restricting.": (
        "Bağlama və ya məhdudlaşdırma səbəbini göstərin.",
        "Укажите причину закрытия или ограничения.",
        "Նշեք փակելու կամ սահմանափակելու պատճառը։",
    ),
    "Coordinates are out of range.": (
        "Koordinatlar icazə verilən hüdudlardan kənardır.",
        "Координаты вне допустимого диапазона.",
        "Կոորդինատները թույլատրելի սահմաններից դուրս են։",
    ),
    "The status is already set to this value.": (
        "Status artıq bu dəyərdədir.",
        "Статус уже имеет это значение.",
        "Կարգավիճակն արդեն այս արժեքն ունի։",
    ),
    "Text contains control characters.": (
        "Mətndə idarəedici simvollar var.",
        "Текст содержит управляющие символы.",
        "Տեքստը պարունակում է կառավարող նիշեր։",
    ),
    "Unknown admin area code.": (
        "Naməlum inzibati ərazi kodu.",
        "Неизвестный код административной единицы.",
        "Վարչական միավորի անհայտ կոդ։",
    ),
    "A place with this code exists.": (
        "Bu kodla yer artıq mövcuddur.",
        "Населённый пункт с таким кодом уже существует.",
        "Այս կոդով բնակավայր արդեն կա։",
    ),
    "This place already has this name.": (
        "Bu yerin artıq belə adı var.",
        "У этого населённого пункта уже есть такое название.",
        "Այս բնակավայրն արդեն ունի այդ անվանումը։",
    ),
    "Population cannot be negative.": (
        "Əhali mənfi ola bilməz.",
        "Численность населения не может быть отрицательной.",
        "Բնակչությունը չի կարող բացասական լինել։",
    ),
    "Write components as CODE:quantity;CODE:quantity.": (
        "Komponentləri KOD:miqdar;KOD:miqdar şəklində yazın.",
        "Укажите компоненты в виде КОД:количество;КОД:количество.",
        "Գրեք բաղադրիչները ԿՈԴ:քանակ;ԿՈԴ:քանակ ձևով։",
    ),
    "Unknown item codes: %(codes)s (list them before the kit).": (
        "Naməlum mal kodları: %(codes)s (onları dəstdən əvvəl sadalayın).",
        "Неизвестные коды товаров: %(codes)s (перечислите их до набора).",
        "Ապրանքների անհայտ կոդեր՝ %(codes)s (նշեք դրանք հավաքածուից առաջ)։",
    ),
    "A kit cannot contain itself.": (
        "Dəst özünü ehtiva edə bilməz.",
        "Набор не может содержать сам себя.",
        "Հավաքածուն չի կարող պարունակել ինքն իրեն։",
    ),
    "No warehouse with this facility code.": (
        "Bu obyekt kodu ilə anbar yoxdur.",
        "Нет склада с таким кодом объекта.",
        "Այս հաստատության կոդով պահեստ չկա։",
    ),
    "You may not count stock in this warehouse.": (
        "Bu anbarda ehtiyatı saymaq icazəniz yoxdur.",
        "Вы не можете проводить инвентаризацию на этом складе.",
        "Դուք չեք կարող հաշվառել այս պահեստի պաշարը։",
    ),
    "This warehouse, item and lot appear twice.": (
        "Bu anbar, mal və partiya iki dəfə göstərilib.",
        "Этот склад, товар и партия встречаются дважды.",
        "Այս պահեստը, ապրանքը և խմբաքանակը երկու անգամ են նշված։",
    ),
    "The lot exists with expiry %(date)s.": (
        "Bu partiya %(date)s son istifadə tarixi ilə artıq mövcuddur.",
        "Эта партия уже существует со сроком годности %(date)s.",
        "Խմբաքանակն արդեն կա %(date)s պիտանիության ժամկետով։",
    ),
    "You may not record pledges for this organisation.": (
        "Bu təşkilat üçün öhdəlikləri qeyd etmək icazəniz yoxdur.",
        "Вы не можете записывать обязательства этой организации.",
        "Դուք չեք կարող գրանցել այս կազմակերպության խոստումները։",
    ),
    "This donor and reference appear twice.": (
        "Bu donor və istinad iki dəfə göstərilib.",
        "Этот донор и номер встречаются дважды.",
        "Այս դոնորը և համարը երկու անգամ են նշված։",
    ),
    "Not enough stock: the quantity would go below zero.": (
        "Ehtiyat kifayət deyil: miqdar sıfırdan aşağı düşərdi.",
        "Недостаточно запасов: количество стало бы меньше нуля.",
        "Պաշարը բավարար չէ. քանակը կդառնար զրոյից պակաս։",
    ),
    "The quantity must be greater than zero.": (
        "Miqdar sıfırdan böyük olmalıdır.",
        "Количество должно быть больше нуля.",
        "Քանակը պետք է մեծ լինի զրոյից։",
    ),
    "An item needs a code.": (
        "Malın kodu olmalıdır.",
        "У товара должен быть код.",
        "Ապրանքը պետք է ունենա կոդ։",
    ),
    "An item with this code exists.": (
        "Bu kodla mal artıq mövcuddur.",
        "Товар с таким кодом уже существует.",
        "Այս կոդով ապրանք արդեն կա։",
    ),
    "Lot %(lot)s already exists with another expiry date.": (
        "%(lot)s partiyası başqa son istifadə tarixi ilə artıq mövcuddur.",
        "Партия %(lot)s уже существует с другим сроком годности.",
        "%(lot)s խմբաքանակն արդեն կա այլ պիտանիության ժամկետով։",
    ),
    "An inbound transaction must add stock.": (
        "Daxilolma əməliyyatı ehtiyatı artırmalıdır.",
        "Приходная операция должна увеличивать запасы.",
        "Մուտքի գործարքը պետք է ավելացնի պաշարը։",
    ),
    "An outbound transaction must remove stock.": (
        "Çıxış əməliyyatı ehtiyatı azaltmalıdır.",
        "Расходная операция должна уменьшать запасы.",
        "Ելքի գործարքը պետք է նվազեցնի պաշարը։",
    ),
    "Not enough %(item)s at %(warehouse)s: %(available)s available, %(requested)s requested.": (
        "%(warehouse)s anbarında kifayət qədər %(item)s yoxdur: mövcuddur %(available)s, sorğulanıb %(requested)s.",
        "Недостаточно «%(item)s» на складе %(warehouse)s: в наличии %(available)s, запрошено %(requested)s.",
        "%(warehouse)s-ում %(item)s-ը բավարար չէ. առկա է %(available)s, հայցվել է %(requested)s։",
    ),
    "Source and destination are the same warehouse.": (
        "Mənbə və təyinat eyni anbardır.",
        "Склад отправления и назначения совпадают.",
        "Ելակետը և նպատակակետը նույն պահեստն են։",
    ),
    "Give the reason for the loss.": (
        "İtkinin səbəbini göstərin.",
        "Укажите причину потери.",
        "Նշեք կորստի պատճառը։",
    ),
    "A count cannot be negative.": (
        "Sayım mənfi ola bilməz.",
        "Результат инвентаризации не может быть отрицательным.",
        "Հաշվառման արդյունքը չի կարող բացասական լինել։",
    ),
    "A new pledge is pledged or in transit.": (
        "Yeni öhdəlik ya vəd edilmiş, ya da yolda olur.",
        "Новое обязательство может быть только «обещано» или «в пути».",
        "Նոր խոստումը կարող է լինել միայն «խոստացված» կամ «ճանապարհին»։",
    ),
    "Receive a pledge by recording the receipt.": (
        "Öhdəliyi mədaxili qeyd etməklə qəbul edin.",
        "Чтобы принять обязательство, запишите поступление.",
        "Խոստումը ստանալու համար գրանցեք մուտքը։",
    ),
    "A %(from)s pledge cannot become %(to)s.": (
        "“%(from)s” statuslu öhdəlik “%(to)s” ola bilməz.",
        "Обязательство в статусе «%(from)s» не может перейти в «%(to)s».",
        "«%(from)s» կարգավիճակով խոստումը չի կարող դառնալ «%(to)s»։",
    ),
    "This pledge is %(status)s.": (
        "Bu öhdəliyin statusu: %(status)s.",
        "Статус этого обязательства: %(status)s.",
        "Այս խոստման կարգավիճակը՝ %(status)s։",
    ),
    "Choose the warehouse receiving the goods.": (
        "Malları qəbul edən anbarı seçin.",
        "Выберите склад, принимающий груз.",
        "Ընտրեք ապրանքներն ընդունող պահեստը։",
    ),
    "%(n)s ledger lines recorded.": (
        "%(n)s uçot sətri qeyd edildi.",
        "Записано строк журнала: %(n)s.",
        "Գրանցվեց հաշվառման մատյանի %(n)s տող։",
    ),
    # Estimators: climate table
    "Edit a station's monthly means": (
        "Stansiyanın aylıq orta göstəricilərini redaktə et",
        "Изменить среднемесячные значения станции",
        "Խմբագրել կայանի ամսական միջին արժեքները",
    ),
    "12 monthly mean temperatures, °C, January first, comma-separated": (
        "12 aylıq orta temperatur, °C, yanvardan başlayaraq, vergüllə ayrılmış",
        "12 среднемесячных температур, °C, начиная с января, через запятую",
        "12 ամսական միջին ջերմաստիճան, °C, սկսած հունվարից, ստորակետով բաժանված",
    ),
    "Source of the shipped table:": (
        "Daxil edilmiş cədvəlin mənbəyi:",
        "Источник поставляемой таблицы:",
        "Ներառված աղյուսակի աղբյուրը՝",
    ),
    "Unknown climate station.": (
        "Naməlum iqlim stansiyası.",
        "Неизвестная метеостанция.",
        "Անհայտ օդերևութաբանական կայան։",
    ),
    "Write 12 numbers separated by commas.": (
        "Vergüllə ayrılmış 12 rəqəm yazın.",
        "Введите 12 чисел через запятую.",
        "Գրեք 12 թիվ՝ ստորակետով բաժանված։",
    ),
    "Climate table saved.": (
        "İqlim cədvəli saxlanıldı.",
        "Климатическая таблица сохранена.",
        "Կլիմայական աղյուսակը պահպանվեց։",
    ),
    # Home page
    "open requests": ("açıq sorğu", "открытых заявок", "բաց հայտ"),
    "road segments closed or restricted": (
        "bağlı və ya məhdudlaşdırılmış yol seqmenti",
        "участков дорог закрыто или ограничено",
        "փակ կամ սահմանափակված ճանապարհահատված",
    ),
    "Latest open requests": (
        "Son açıq sorğular",
        "Последние открытые заявки",
        "Վերջին բաց հայտերը",
    ),
    "No open requests in your areas.": (
        "Ərazilərinizdə açıq sorğu yoxdur.",
        "В ваших районах нет открытых заявок.",
        "Ձեր տարածքներում բաց հայտեր չկան։",
    ),
    "Roads closed or restricted": (
        "Bağlı və ya məhdudlaşdırılmış yollar",
        "Закрытые или ограниченные дороги",
        "Փակ կամ սահմանափակված ճանապարհներ",
    ),
    "Road": ("Yol", "Дорога", "Ճանապարհ"),
    "All roads open.": (
        "Bütün yollar açıqdır.",
        "Все дороги открыты.",
        "Բոլոր ճանապարհները բաց են։",
    ),
}

# Plural entries, keyed by the singular msgid: (az forms, ru forms, hy forms).
# az and hy have 2 forms (n != 1); ru has 4 (one, few, many, other).
PLURALS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "%(counter)s error; nothing was imported.": (
        (
            "%(counter)s xəta; heç nə idxal edilmədi.",
            "%(counter)s xəta; heç nə idxal edilmədi.",
        ),
        (
            "%(counter)s ошибка; ничего не импортировано.",
            "%(counter)s ошибки; ничего не импортировано.",
            "%(counter)s ошибок; ничего не импортировано.",
            "%(counter)s ошибки; ничего не импортировано.",
        ),
        (
            "%(counter)s սխալ. ոչինչ չի ներմուծվել։",
            "%(counter)s սխալ. ոչինչ չի ներմուծվել։",
        ),
    ),
    "%(counter)s name": (
        ("%(counter)s ad", "Bütün %(counter)s ad"),
        (
            "%(counter)s название",
            "Все %(counter)s названия",
            "Все %(counter)s названий",
            "Все %(counter)s названия",
        ),
        ("%(counter)s անվանում", "Բոլոր %(counter)s անվանումները"),
    ),
}

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
