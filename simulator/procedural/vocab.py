"""The generator's own word lists: names, column wordings, pager wordings, URL parts.

Deliberately broader than anything the crawler knows, and never imported from (or shared
with) crawler/ or pipelines/: the generated portals test whether discovery generalizes, so
their words must not come from discovery's tables.
"""

from __future__ import annotations

# Syllables for place names (township, county, village); a few are GBK-only (not GB2312).
SYLLABLES = tuple(
    "东西南北上下前后新老青白红黄金银石铁沙河湖江海山岭峰岗坪坝坡塘溪泉井桥"
    "湾洲滩林松柏桃李杏枣梨竹兰花草禾田丰安宁平和兴旺福寿永长乐康泰顺德仁义"
    "龙凤虎鹤鹿马牛羊云雾雪霞星月阳春秋冬镕堃喆珺"
)
#: names only GB18030 can encode (CJK Ext A/B): a GB18030 portal carries one of them
GB18030_ONLY = ("䶮", "㵘", "𬍛", "䝙")

COUNTY_SUFFIXES = ("县", "县", "县", "旗", "区", "市", "自治县")

#: suffixes of units below a county that publish their own reports
UNIT_SUFFIXES = {
    "township": (
        "镇",
        "镇",
        "乡",
        "乡",
        "民族乡",
        "街道",
        "街道办事处",
        "苏木",
        "办事处",
        "镇人民政府",
        "乡人民政府",
    ),
    "village": ("嘎查", "村", "社区"),
    "zone": (
        "经济开发区管委会",
        "工业园区管理委员会",
        "高新区管委会",
        "农场",
        "林场",
        "国有林场",
        "产业园区管委会",
        "旅游度假区管委会",
        "开发区",
        "园区",
        "管委会",
        "农垦分场",
    ),
}

DEPARTMENTS = (
    "教育局",
    "教育体育局",
    "自然资源和规划局",
    "自然资源局",
    "医疗保障局",
    "医保局",
    "人力资源和社会保障局",
    "人社局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "水利局",
    "商务局",
    "文化和旅游局",
    "文化旅游体育局",
    "卫生健康委员会",
    "卫生健康局",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "统计局",
    "市场监督管理局",
    "林业和草原局",
    "民政局",
    "司法局",
    "财政局",
    "发展和改革局",
    "发展和改革委员会",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "城市管理综合行政执法局",
    "行政审批局",
    "政务服务管理局",
    "乡村振兴局",
    "信访局",
    "档案馆",
    "融媒体中心",
    "民族宗教事务局",
    "供销合作社联合社",
    "残疾人联合会",
    "气象局",
    "人民防空办公室",
    "机关事务服务中心",
    "住房公积金管理中心",
    "生态环境分局",
    "人民政府办公室",
    "国有资产监督管理局",
    "能源局",
    "粮食和物资储备局",
    "数据资源管理局",
    "体育局",
    "广播电视局",
)

#: the wordings of a report column; {y} is a data year (year folders)
REPORT_COLUMNS = (
    "政府信息公开年报",
    "政府信息公开年度报告",
    "年度报告",
    "信息公开年报",
    "工作年报",
    "年报",
    "政务公开年报",
    "信息公开工作年度报告",
    "公开年报",
    "年度工作报告",
    "政府信息公开工作年度报告",
    "乡镇信息公开年报",
    "部门年报",
    "部门信息公开年报",
    "年报专栏",
    "信息公开年度报告",
    "政府信息公开工作报告",
    "年度公开报告",
    "政务信息公开年报",
)
YEAR_FOLDERS = ("{y}年度", "{y}年", "{y}年度报告", "{y}年报", "{y}")

HUB_NAMES = (
    "政府信息公开",
    "政务公开",
    "信息公开",
    "政府信息公开专栏",
    "公开目录",
    "法定主动公开内容",
    "信息公开目录",
    "政务公开专栏",
    "基层政务公开",
    "公开专栏",
    "主动公开",
    "政府公开",
)
UNIT_DIRECTORY_NAMES = {
    "township": (
        "乡镇信息公开",
        "乡镇（街道）",
        "镇街信息公开",
        "乡镇街道",
        "苏木乡镇",
        "基层单位",
        "乡镇政府",
        "镇（街道）公开",
    ),
    "department": (
        "部门信息公开",
        "县直部门",
        "部门网站",
        "政府部门",
        "机构信息公开",
        "部门公开",
        "组成部门",
        "单位信息公开",
    ),
}
NOISE_COLUMNS = (
    "通知公告",
    "工作动态",
    "政策文件",
    "政策解读",
    "人事信息",
    "财政预决算",
    "统计信息",
    "规划计划",
    "应急管理",
    "建议提案办理",
    "政务要闻",
    "部门动态",
    "乡镇动态",
    "招标采购",
    "公示公告",
    "领导信息",
    "机构职能",
    "政府文件",
    "重点领域信息公开",
    "民生实事",
)
NEWS_TITLES = (
    "{u}召开{y}年度工作推进会",
    "{u}开展安全生产专项检查",
    "{u}举办政务公开业务培训",
    "{u}推进乡村振兴重点项目建设",
    "{u}组织开展防汛应急演练",
    "{u}召开党风廉政建设工作会议",
    "{u}全力做好冬季供暖保障工作",
    "{u}开展“我为群众办实事”活动",
    "{u}召开第{n}次常务会议",
    "{u}春季植树活动启动",
    "{u}开展森林防火宣传",
    "{u}举行消防安全演练",
)

#: pages that read like an annual report and are not one: (title, what their body says)
_NOTICE = (
    "根据《中华人民共和国政府信息公开条例》有关规定，现就有关工作通知如下。",
    "请各单位于1月31日前完成编制并向社会公布，同时报送县政务公开办。",
)
READING = ("为便于公众理解，现就主要内容解读如下。", "全文详见原报告。")
_SPEECH = (
    "各位代表：现在，我代表人民政府，向大会报告工作，请予审议。",
    "一、过去一年工作回顾。二、今年工作安排。",
)
_LAW = (
    "一年来，坚持以习近平法治思想为指导，深入推进法治政府建设。",
    "一、主要举措和成效。二、存在的不足和原因。三、下一步工作安排。",
)
_BUDGET = (
    "第一部分 部门概况。第二部分 收支预算表。第三部分 情况说明。",
    "一、收支总体情况。二、“三公”经费情况。",
)
_STATS = (
    "全年地区生产总值同比增长，固定资产投资平稳增长。",
    "一、综合。二、农业。三、工业和建筑业。",
)
_PLAIN = ("一、工作目标。二、主要任务。三、保障措施。", "现予公布。")
DISTRACTORS = (
    ("关于做好{y}年度政府信息公开工作年度报告编制和发布工作的通知", _NOTICE),
    ("关于报送{y}年度政府信息公开工作年度报告的通知", _NOTICE),
    ("《{u}{y}年政府信息公开工作年度报告》解读", READING),
    ("图解：{u}{y}年政府信息公开工作年度报告", READING),
    ("一图读懂{u}{y}年度政府信息公开年报", READING),
    ("{u}{y1}年政府工作报告", _SPEECH),
    ("{c}{y}年国民经济和社会发展统计公报", _STATS),
    ("{u}{y}年法治政府建设年度报告", _LAW),
    ("{u}{y}年度法治政府建设情况报告", _LAW),
    ("{u}{y1}年部门预算", _BUDGET),
    ("{u}{y}年部门决算", _BUDGET),
    ("{u}{y1}年度预算公开", _BUDGET),
    ("{u}{y}年度政务公开工作要点", _PLAIN),
    ("{u}政府信息公开指南", _PLAIN),
    ("关于开展{y}年度企业年报公示工作的通知", _NOTICE),
    ("{c}{y}年统计年报工作培训会召开", _PLAIN),
    ("{u}{y}年度依法行政工作报告", _LAW),
    ("{y}年度政府信息公开工作考核结果的通报", _NOTICE),
    ("{u}{y}年度安全生产工作总结", _PLAIN),
)

#: what a 解读 of a report walks through: the report's parts named, no tables, no figures table
READING_HEADINGS = ("一、总体情况", "二、主动公开情况", "三、依申请公开情况", "四、存在的问题")
READING_LINES = (
    "全年政务公开工作稳步推进",
    "主动公开各类信息较上年有所增加",
    "依申请公开均在法定期限内答复",
    "政策解读形式有待丰富",
)

#: report titles; {u} the unit, {y} the data year, {y1} the year after, {cy} the year in 汉字
REPORT_TITLES = (
    "{u}{y}年政府信息公开工作年度报告",
    "{y}年{u}政府信息公开工作年度报告",
    "{u}{y}年度政府信息公开工作年度报告",
    "{u}{y}年度信息公开工作报告",
    "{u}政府信息公开工作年度报告（{y}年度）",
    "{u}{y}年政务公开工作年度报告",
    "{u}{cy}年政府信息公开工作年度报告",
    "{u}{y1}年政府信息公开工作年度报告",
    "关于公布{u}{y}年度政府信息公开工作年度报告的公告",
    "{y}年度{u}信息公开年报",
    "{u}{y}年度工作年报",
    "{u}政府信息公开年报（{y}）",
    "{u}政府信息公开工作年度报告",
)
ATTACHMENT_LINES = (
    "详见附件。",
    "具体内容详见附件。",
    "全文请见附件。",
    "请点击下载附件查看。",
    "（见附件）",
)
SOFT_404 = (
    ("提示信息", "页面不存在"),
    ("提示信息", "您访问的信息不存在或已被删除"),
    ("信息提示", "该信息已撤稿"),
    ("系统提示", "对不起，您要查看的内容不存在！"),
)

# --- navigation wordings ------------------------------------------------------------------
NEXT_WORDS = (
    "下一页",
    "下页",
    "后一页",
    "下一页>>",
    "[下一页]",
    ">",
    "next",
    "Next",
    "下一頁",
    "后页 >",
)
LAST_WORDS = ("尾页", "末页", "最后一页", ">>|", "last")
SELECT_PROMPTS = (
    "==部门网站==",
    "--乡镇网站--",
    "请选择",
    "部门网站导航",
    "==县直部门==",
    "相关链接",
)
SEARCH_BUTTONS = ("搜索", "检索", "站内搜索", "查询", "全文检索")

# --- URL parts -------------------------------------------------------------------------------
SCRIPT_NAMES = (
    "list",
    "ShowClass",
    "column",
    "channel",
    "NewsList",
    "info",
    "lm",
    "class",
    "node",
    "catalog",
    "articleList",
    "col",
    "InfoList",
    "more",
    "sub",
    "zwgk",
)
SHOW_NAMES = (
    "show",
    "ShowArticle",
    "content",
    "detail",
    "view",
    "article",
    "art",
    "info_view",
    "news",
    "readnews",
    "doc",
    "xxgk_show",
)
EXTS = ("jsp", "asp", "aspx", "php", "do", "action", "shtml", "htm", "html")
ID_PARAMS = (
    "cid",
    "ClassID",
    "catid",
    "colid",
    "columnId",
    "nodeid",
    "channelId",
    "c",
    "tid",
    "sid",
    "lmid",
    "typeid",
    "classid",
    "sortid",
    "pid",
    "cat",
    "lanmu",
    "bid",
    "listid",
)
ART_PARAMS = (
    "id",
    "ArticleID",
    "aid",
    "newsid",
    "docid",
    "itemid",
    "articleId",
    "contentId",
    "infoid",
    "nid",
    "did",
    "showid",
)
PAGE_PARAMS = (
    "page",
    "pageNo",
    "p",
    "pn",
    "curpage",
    "pageIndex",
    "PageNum",
    "cp",
    "pageNum",
    "currentPage",
    "pg",
    "ipage",
    "page_no",
    "pageno",
    "Page",
)
UNIT_PARAMS = ("unitId", "deptId", "orgId", "areaId", "organId", "siteId", "depid", "bmid")
SEARCH_PARAMS = ("q", "keyword", "searchWord", "kw", "wd", "query", "text", "key", "searchword")
SLUG_PARTS = (
    "zwgk",
    "xxgk",
    "gkml",
    "col",
    "news",
    "art",
    "info",
    "site",
    "web",
    "bm",
    "xz",
    "jd",
    "nb",
    "gk",
    "zfxxgk",
    "list",
    "channel",
    "c",
    "dept",
    "org",
    "zw",
    "gov",
    "pub",
    "a",
)
API_PATHS = (
    "/api/list",
    "/interface/getList.do",
    "/ajax/list.ashx",
    "/front/info/list.json",
    "/common/searchList.jsp",
    "/module/web/jpage/dataproxy.jsp",
    "/data/articles",
    "/cms/api/content/list",
    "/services/query.php",
    "/open/api/getInfo",
)
TREE_PATHS = (
    "/api/tree",
    "/interface/getOrgTree.do",
    "/ajax/units.ashx",
    "/front/org/tree.json",
    "/cms/api/unit/list",
    "/services/depts.php",
)
SEARCH_PATHS = (
    "/search.jsp",
    "/s.php",
    "/search/index.html",
    "/was5/web/search",
    "/jsearch/search.do",
    "/site/search",
    "/searchweb/search.action",
)
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/map/sitemap.xml", "/sitemaps/site.xml")
