"""Static word lists used by the rules.

Chinese lists are in Simplified script: every rule runs on the Simplified
*analysis* copy of the text (see :mod:`.script`), and the returned strings
are sliced out of the cleaned text as written.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()

# --------------------------------------------------------------------------
# Pinyin (English transliterations of Chinese names and toponyms)
# --------------------------------------------------------------------------

PINYIN_SYLLABLES = frozenset(
    _words("""
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai
    can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua
    chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de
    dei deng di dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang
    fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang
    gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun
    huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke
    ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li
    lia lian liang liao lie lin ling liu long lou lu luan lue lun luo lv ma mai man mang mao
    mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng
    ni nian niang niao nie nin ning niu nong nou nu nuan nue nuo nv o ou pa pai pan pang pao
    pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong
    qiu qu quan que qun ran rang rao re ren reng ri rong rou ru ruan rui run ruo sa sai san
    sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai
    shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti
    tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia
    xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo
    yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe
    zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan
    zui zun zuo
    """)
)

# Common Chinese surnames in pinyin (single-syllable; compound ones below).
PINYIN_SURNAMES = frozenset(
    _words("""
    ai an ao bai ban bao bei bi bian bo bu cai cao cen chai chang chao chen cheng chi chu cong
    cui dai deng di diao ding dong dou du duan fan fang fei feng fu gai gan gao ge geng gong gou
    gu guan guo han hao he hong hou hu hua huang ji jia jian jiang jiao jin jing ju kang ke kong
    kou kuang lai lan lang lao lei leng li lian liang liao lin ling liu long lou lu luan luo lv
    ma mai man mao mei meng mi miao min ming mo mu na nie ning niu ou pan pang pei peng pi ping
    pu qi qian qiao qin qiu qu quan ran rao ren rong ruan rui sang sha shan shang shao she shen
    sheng shi shu si song su sui sun tai tan tang tao teng tian tong tu wan wang wei wen weng wu
    xi xia xian xiang xiao xie xin xing xiong xu xuan xue yan yang yao ye yi yin ying you yu yuan
    yue yun zang zeng zha zhai zhan zhang zhao zhen zheng zhong zhou zhu zhuang zhuo zong zou zuo
    """)
)
PINYIN_COMPOUND_SURNAMES = frozenset(
    _words("ouyang situ sima shangguan zhuge dongfang huangfu xiahou zhangsun yuwen murong linghu")
)

# Capitalised words that are never part of a person's name even though they
# are valid pinyin ("He emphasized", "An inspection", ...).
EN_NON_NAME_WORDS = frozenset(
    _words("""
    he she an a the on in at it its to ma
    """)
)

# --------------------------------------------------------------------------
# English government titles
# --------------------------------------------------------------------------

# Head words: a title phrase must contain at least one of these.
EN_TITLE_HEADS = (
    "mayor", "vice mayor", "deputy mayor", "governor", "vice governor", "secretary",
    "secretary-general", "secretary general", "head", "chief", "director", "director-general",
    "chairman", "chairwoman", "chairperson", "chair", "commissioner", "magistrate", "leader",
    "member", "minister", "president", "inspector", "procurator", "principal", "administrator",
    "party chief", "premier",
)
EN_TITLE_WORD_RE = (
    r"(?:mayor|governor|secretar(?:y|y-general)|head|chief|director(?:-general)?|chair(?:man|woman|person)?"
    r"|commissioner|magistrate|leaders?|member|minister|president|inspector|procurator|premier"
    r"|administrator)"
)
# Words that may appear in a title phrase (used to validate "TITLE, NAME").
EN_TITLE_VOCAB = frozenset(
    _words("""
    the of and deputy vice executive standing first acting party municipal city district county
    provincial province town township village committee committees people's peoples government
    congress cpc communist general secretary mayor governor head chief director chairman
    chairwoman chair commissioner magistrate member members leader leaders minister president
    inspector administration administrative commission bureau office department zone area new
    high-tech hi-tech tech high development economic management discipline standing political
    consultative conference cppcc npc municipality prefecture autonomous region league
    secretary-general director-general party-secretary for
    """)
)

# Group labels that introduce a list of leaders: "Municipal leaders A, B, C".
EN_LEADER_GROUP_RE = (
    r"(?:(?:Municipal|City|District|County|Provincial|Town|Township|Prefectural|Regional)\s+"
    r"(?:leaders?|officials?)|(?:Leaders|Officials)\s+of\s+the\s+(?:city|municipality|district|county|province))"
)

# Verbs that may follow a leader's name (end of an appositive title).
EN_LEADER_VERBS = (
    "went|visited|came|led|inspected|investigated|presided|attended|delivered|made|paid|took|"
    "conducted|carried|arrived|toured|stressed|emphasized|emphasised|pointed|said|urged|"
    "required|requested|demanded|asked|chaired|hosted|met|called|also|and|together|accompanied|"
    "examined|checked|surveyed|oversaw|supervised|headed|traveled|travelled|walked|went"
)

# --------------------------------------------------------------------------
# Organisation / place suffixes
# --------------------------------------------------------------------------

EN_ORG_SUFFIXES = (
    "Co., Ltd.", "Co. Ltd.", "Co., Ltd", "Co.,Ltd.", "Company Limited", "Co.", "Ltd.", "Ltd", "Inc.", "Inc",
    "LLC", "Company", "Corporation", "Corp.", "Group", "Factory", "Plant", "Mill", "Mine", "Foods", "Food",
    "Products", "Institute", "Hospital", "School", "University", "College", "Home", "Elderly",
    "Nursing Home", "Center", "Centre", "Technology", "Technologies", "Pharmaceutical", "Pharmaceuticals",
    "Chemical", "Chemicals", "Industries", "Industry", "Industrial", "Bank", "Market", "Supermarket", "Mall",
    "Hotel", "Station", "Farm", "Cooperative", "Enterprise", "Enterprises", "Works", "Workshop",
    "Materials", "Material", "Steel", "Textile", "Textiles", "Electronics", "Electric", "Energy",
    "Logistics", "Motors", "Machinery", "Holdings", "Stores", "Store", "Laboratory", "Lab", "Clinic",
    "Kindergarten", "Terminal", "Wharf", "Pharmacy", "Restaurant", "Cinema", "Airport", "Dock",
    "Shipyard", "Brewery", "Winery", "Aquatic Products", "Petrochemical", "Pharma", "Textile Mill",
)
EN_PLACE_SUFFIXES = (
    "District", "County", "City", "Village", "Town", "Township", "Street", "Subdistrict", "Community",
    "Zone", "New Area", "Area", "Province", "Industrial Park", "Park", "Port", "Island", "Prefecture",
    "Region", "Road", "Square", "Reservoir", "River", "Lake", "Dam", "Embankment", "Dike", "Bridge", "Tunnel",
    "Mountain", "Checkpoint", "Site", "Construction Site", "Project", "Pier", "Bay", "Coast", "Beach",
)
# Government bodies: never "organisations visited" (they come along or host).
EN_GOV_BODY_WORDS = (
    "Bureau", "Commission", "Committee", "Office", "Department", "Administration", "Government",
    "Headquarters", "Congress", "Conference", "League", "Federation", "Ministry", "Council",
)

ZH_ORG_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "分公司", "子公司", "公司", "集团", "分厂", "总厂", "厂",
    "医院", "卫生院", "诊所", "学校", "中学", "小学", "大学", "学院", "幼儿园", "研究院", "研究所",
    "养老院", "敬老院", "福利院", "养老中心", "服务中心", "中心", "合作社", "超市", "商场", "市场",
    "酒店", "宾馆", "银行", "车站", "客运站", "码头", "矿", "煤矿", "电厂", "电站", "加油站", "农场",
    "牧场", "基地", "药业", "制药", "科技", "食品", "实业", "化工", "新材", "电子", "机械", "纺织", "物流",
    "能源", "建材", "钢铁", "集团公司", "商行", "门店", "工地", "项目部", "项目", "港", "仓库", "园区企业",
)
ZH_PLACE_SUFFIXES = (
    "高新区", "开发区", "经开区", "新区", "示范区", "产业园区", "产业园", "工业园区", "工业园", "园区",
    "街道", "社区", "村", "镇", "乡", "区", "县", "市", "车间", "生产线", "工地", "现场", "施工现场",
    "仓库", "库房", "港区", "口岸", "卡口", "检查站", "隧道", "桥", "水库", "河段", "堤", "路段", "广场",
)
# Government bodies (accompanying, not visited).
ZH_GOV_BODY_SUFFIXES = (
    "局", "委", "委员会", "办", "办公室", "厅", "部", "处", "科", "所长", "指挥部", "政府", "党委", "管委会",
    "工作组", "领导小组",
)

# Common industry words, used to fill "?" holes left by mis-decoded bytes
# (e.g. "环??技" -> "环保科技").  Only a unique fit is accepted.
ZH_INDUSTRY_TERMS = (
    "环保科技", "科技", "环保", "食品", "制药", "药业", "化工", "新材料", "新材", "材料", "电子", "机械",
    "纺织", "服装", "能源", "电力", "建材", "物流", "医疗", "器械", "生物", "农业", "牧业", "实业",
    "发展", "股份", "集团", "有限公司", "公司", "科技发展", "生物科技", "信息技术", "智能", "装备",
    "制造", "汽车", "钢铁", "水泥", "玻璃", "塑业", "塑胶", "包装", "印务", "医药", "商贸", "贸易",
)

# --------------------------------------------------------------------------
# Chinese surnames and titles
# --------------------------------------------------------------------------

ZH_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍"
    "涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟"
    "邝滑律洪缪鞠"
)
ZH_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文", "司徒",
)

# Single title units (Simplified).  A title chain is units joined by 、 or
# nothing; the longest unit wins, so order does not matter here.
ZH_TITLE_UNITS = (
    # party
    "省委书记", "市委书记", "区委书记", "县委书记", "州委书记", "镇党委书记", "乡党委书记", "党委书记",
    "党组书记", "党工委书记", "党委副书记", "党组副书记", "党工委副书记", "省委副书记", "市委副书记",
    "区委副书记", "县委副书记", "州委副书记", "省委常委", "市委常委", "区委常委", "县委常委", "州委常委",
    "副书记", "书记", "政法委书记", "纪委书记", "监委主任", "组织部部长", "宣传部部长", "统战部部长",
    "秘书长", "副秘书长",
    # government
    "省长", "副省长", "常务副省长", "市长", "副市长", "常务副市长", "代市长", "区长", "副区长", "常务副区长",
    "代区长", "县长", "副县长", "常务副县长", "代县长", "州长", "副州长", "镇长", "副镇长", "乡长", "副乡长",
    "主任", "副主任", "常务副主任", "局长", "副局长", "厅长", "副厅长", "处长", "副处长", "署长", "总指挥",
    "副总指挥", "指挥长", "副指挥长", "部长", "副部长", "主席", "副主席", "巡视员", "调研员", "总经济师",
    "督查专员", "党组成员", "管委会主任", "管委会副主任", "人大常委会主任", "人大常委会副主任", "政协主席",
    "政协副主席", "县政府党组成员", "副区级领导", "区级领导", "市级领导", "市领导", "区领导", "县领导",
    "省领导", "市政府秘书长", "区政府秘书长", "县政府秘书长", "副市级领导",
)

# Organisation prefixes that may precede a title unit: 市政府, 区应急管理局...
ZH_TITLE_ORG_PREFIX = (
    r"(?:(?:省|市|区|县|州|镇|乡|自治区|高新区|开发区|经开区|新区|[\u4e00-\u9fff]{1,6}(?:省|市|区|县))?"
    r"(?:委|政府|人大|人大常委会|政协|纪委|监委|[\u4e00-\u9fff]{1,10}?(?:局|委员会|委|办|厅|部|管委会|中心|指挥部)))"
)

# Words that can directly follow a Chinese person's name (after its title).
ZH_NAME_FOLLOWERS = (
    "带领", "率领", "率队", "带队", "一行", "一同", "一起", "同志", "深入", "到", "来到", "前往", "赴", "在", "先后",
    "等", "主持", "出席", "参加", "陪同", "随同", "调研", "检查", "督导", "督查", "走访", "实地", "察看", "查看",
    "视察", "指出", "强调", "要求", "表示", "对", "前", "莅临", "就", "专程", "现场", "再次", "又", "还", "分别",
    "听取", "详细", "认真", "看望", "慰问", "指导", "走进", "深入到", "，", "、", "。", "（", "(", "；", "：", "和",
    "与", "及", "也", "率", "带", "是", "作", "讲话", "希望", "叮嘱", "向", "一道", "亲自", "冒雨", "顶风", "轻车",
    "不打招呼", "随机", "暗访", "抽查", "详", "了解", "考察", "来", "去", "进", "入", "赶",
)

ZH_VISIT_VERBS = (
    "调研", "视察", "检查", "督导", "督查", "走访", "考察", "察看", "查看", "看望", "慰问", "走进", "来到", "深入",
    "前往", "实地", "暗访", "抽查", "巡查", "指导",
)
ZH_MEETING_WORDS = ("会议", "电视电话会", "视频会", "座谈会", "调度会", "推进会", "现场会")

EN_VISIT_WORDS = (
    "visit", "visited", "inspect", "inspected", "inspection", "investigation", "investigate",
    "went to", "came to", "went deep", "oversee", "supervision", "guidance", "survey", "toured",
    "check", "checked", "examined", "research", "on-site", "on the spot", "conference", "meeting",
)

# --------------------------------------------------------------------------
# Topics: keyword -> weight.  Chinese keywords are Simplified.
# --------------------------------------------------------------------------

TOPIC_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "epidemic_prevention": {
        "zh": ("疫情", "防疫", "防控", "新冠", "核酸", "口罩", "消毒", "测温", "体温", "健康码", "隔离", "疫苗"),
        "en": ("epidemic", "pandemic", "covid", "coronavirus", "disinfect", "mask", "temperature measurement",
               "nucleic acid", "quarantine", "vaccin", "health code", "prevention and control"),
    },
    "work_resumption": {
        "zh": ("复工", "复产", "返岗", "复市", "复业", "开工", "达产", "复工复产", "返工", "复学"),
        "en": ("resum", "return to work", "returning to work", "restart", "reopen", "back to work",
               "recovery rate", "production capacity"),
    },
    "production_safety": {
        "zh": ("安全生产", "安全隐患", "隐患", "应急管理", "危险化学品", "危化品", "消防", "事故", "安全检查",
               "安全监管", "安全责任", "特种设备", "安全防范"),
        "en": ("safety production", "production safety", "safe production", "work safety", "safety hazard",
               "hidden danger", "hazardous chemical", "fire protection", "fire safety", "accident",
               "emergency management", "safety inspection", "safety supervision", "hidden hazard"),
    },
    "flood_prevention": {
        "zh": ("防汛", "汛期", "防洪", "洪水", "暴雨", "洪涝", "度汛", "排涝", "抗洪", "水库", "堤防", "山洪"),
        "en": ("flood", "heavy rain", "rainstorm", "typhoon", "reservoir", "embankment", "waterlogging",
               "dike", "levee"),
    },
    "material_supply": {
        "zh": ("物资", "保供", "供应", "原材料", "医疗物资", "防疫物资", "口罩生产", "产能", "供应链", "稳价",
               "储备", "货源", "民生商品", "保障供给"),
        "en": ("material", "supplies", "supply", "supply chain", "raw material", "protective products",
               "stockpile", "reserve"),
    },
    "enterprise_service": {
        "zh": ("服务企业", "帮扶", "助企", "惠企", "纾困", "解决问题", "解决困难", "实际困难", "营商环境",
               "政策支持", "支持政策", "金融支持", "驻企", "现场办公", "包联", "企业服务", "难题", "帮助企业",
               "靠前服务", "精准服务", "上门服务", "一对一", "办实事", "服务保障"),
        "en": ("serve enterprises", "help enterprises", "helping enterprises", "solve practical difficulties",
               "solve the difficulties", "business environment", "support policies", "supporting policies",
               "services", "help thousands", "resident office", "resident instructor", "difficulties",
               "help ", "policy support", "serve"),
    },
}
