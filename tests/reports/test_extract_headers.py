"""Every metadata-header layout and label variant of docs/portals.md §9, on whole pages.

Each case is a header as a real CMS writes it (the site named in the case id).  It is served
twice: inside the known body container (``div#zoom``) and inside an unknown layout that only
the scored fallback finds, both times right above the report body, which is the hard place
for it: the header must come out whole and leave the body text exactly as written.
Expected fields were typed by hand from the header HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from lxml import html as lxml_html

from reports.extract import extract_page

BODY = """
<p style="text-align:center"><b>本机关2023年政府信息公开工作年度报告</b></p>
<p style="text-indent:2em">本报告根据《中华人民共和国政府信息公开条例》编制，数据统计期限为2023年1月1日至12月31日。</p>
<p style="text-indent:2em"><b>一、总体情况</b></p>
<p style="text-indent:2em">本年度，本机关扎实推进政务公开，全年公开政府信息156条。</p>
<p style="text-indent:2em"><b>二、主动公开政府信息情况</b></p>
<table border="1"><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr></table>
<p style="text-indent:2em"><b>三、收到和处理政府信息公开申请情况</b></p>
<p style="text-indent:2em">全年收到申请3件，均按时答复。</p>
<p style="text-indent:2em"><b>四、政府信息公开行政复议、行政诉讼情况</b></p>
<p style="text-indent:2em">全年未发生行政复议、行政诉讼。</p>
<p style="text-indent:2em"><b>五、存在的主要问题及改进情况</b></p>
<p style="text-indent:2em">政策解读形式还不够丰富。</p>
<p style="text-indent:2em"><b>六、其他需要报告的事项</b></p>
<p style="text-indent:2em">无。</p>
"""  # noqa: E501
BODY_TEXT = "\n".join(
    [
        "本机关2023年政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》编制，数据统计期限为2023年1月1日至12月31日。",
        "一、总体情况",
        "本年度，本机关扎实推进政务公开，全年公开政府信息156条。",
        "二、主动公开政府信息情况",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t0\t0\t0",
        "三、收到和处理政府信息公开申请情况",
        "全年收到申请3件，均按时答复。",
        "四、政府信息公开行政复议、行政诉讼情况",
        "全年未发生行政复议、行政诉讼。",
        "五、存在的主要问题及改进情况",
        "政策解读形式还不够丰富。",
        "六、其他需要报告的事项",
        "无。",
    ]
)

SHELL = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="青溪县人民政府"><meta name="ColumnName" content="政府信息公开年报">{head}
<title>本机关2023年政府信息公开工作年度报告_青溪县人民政府</title></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/nb/">政府信息公开年报</a></div>
{container}
<div class="footer">主办单位：青溪县人民政府办公室　网站标识码：3301270001　浙ICP备05012345号</div>
</body></html>"""  # noqa: E501
PLACEMENTS = {
    "zoom": (
        '<div class="article"><h1>本机关2023年政府信息公开工作年度报告</h1>'
        '<div id="zoom">{header}{body}</div>'
        '<div class="tools">【打印本页】【关闭窗口】</div></div>'
    ),
    "scored": '<div class="article"><div class="wz">{header}{body}</div></div>',
}


@dataclass
class Case:
    id: str
    what: str  # where the layout comes from and what it exercises
    header: str
    meta: dict[str, str]
    flags: list[str] = field(default_factory=list)
    head: str = ""


CASES = [
    Case(
        "govcn-2cell",
        "gov.cn template A: 2-cell rows, bold labels with full-width spaces, 发文字号 — —",
        """
<table class="bd1"><tbody>
<tr><td><b>索　引　号：</b></td><td>000014349/2024-00012</td></tr>
<tr><td><b>主题分类：</b></td><td>综合政务\\政务公开</td></tr>
<tr><td><b>发文机关：</b></td><td>青溪县人民政府办公室</td></tr>
<tr><td><b>成文日期：</b></td><td>2024年01月05日</td></tr>
<tr><td><b>标　　题：</b></td><td>青溪县2023年政府信息公开工作年度报告</td></tr>
<tr><td><b>发文字号：</b></td><td>— —</td></tr>
<tr><td><b>发布日期：</b></td><td>2024年01月08日</td></tr>
</tbody></table>""",
        {
            "index_no": "000014349/2024-00012",
            "category": "综合政务\\政务公开",
            "publisher": "青溪县人民政府办公室",
            "written_date": "2024-01-05",
            "published_date": "2024-01-08",
            "title": "青溪县2023年政府信息公开工作年度报告",
        },
    ),
    Case(
        "jiangsu-4cell",
        "Jiangsu Hanweb xxgk_table: 4-cell rows, 索 引 号, colspan title, empty cells",
        """
<table class="xxgk_table" cellspacing="0"><tbody>
<tr><td class="td_lable">索 引 号</td><td>11320481MB1543210X/2024-00017</td>
<td class="td_lable">分　　类</td><td>政府信息公开年报</td></tr>
<tr><td class="td_lable">发布机构</td><td>白沙镇人民政府</td><td class="td_lable">发文日期</td><td>2024-01-19</td></tr>
<tr><td class="td_lable">标　　题</td><td colspan="3">白沙镇2023年政府信息公开工作年度报告</td></tr>
<tr><td class="td_lable">文　　号</td><td></td><td class="td_lable">主 题 词</td><td></td></tr>
</tbody></table>""",  # noqa: E501
        {
            "index_no": "11320481MB1543210X/2024-00017",
            "category": "政府信息公开年报",
            "publisher": "白沙镇人民政府",
            "written_date": "2024-01-19",
            "title": "白沙镇2023年政府信息公开工作年度报告",
        },
    ),
    Case(
        "zhangye-empty-cells",
        "Zhangye: 4-cell rows with empty cells, 生成日期 as a timestamp",
        """
<table class="xxgk_table">
<tr><td>索引号</td><td>620702081/2026-00007</td><td>发文字号</td><td></td></tr>
<tr><td>关键词</td><td></td><td>发布机构</td><td>北街办事处</td></tr>
<tr><td>公开形式</td><td></td><td>责任部门</td><td></td></tr>
<tr><td>生成日期</td><td>2026-01-23 16:24:38</td><td>是否有效</td><td></td></tr>
</table>""",
        {
            "index_no": "620702081/2026-00007",
            "publisher": "北街办事处",
            "written_date": "2026-01-23",
        },
        flags=["meta_written_date_from:生成日期"],
    ),
    Case(
        "wuxi-6cell",
        "Wuxi: 6-cell rows, td.t labels, comment-wrapped values, 文件编号 无, commented-out row",
        """
<table class="xxgk">
<tr><td class="t">信息索引号</td><td><!--<$[SYH]>-->014006438/2026-03652<!--<$[SYH]>--></td>
<td class="t">生成日期</td><td>2026-01-06</td><td class="t">公开日期</td><td>2026-01-07</td></tr>
<tr><td class="t">文件编号</td><td><!--<$[WJBH]>-->无<!--<$[WJBH]>--></td><td class="t">效力状况</td><td>有效</td>
<td class="t">公开方式</td><td>主动公开</td></tr>
<!--<tr><td class="t">附件下载</td><td colspan="3">—  —</td></tr>-->
</table>""",  # noqa: E501
        {
            "index_no": "014006438/2026-03652",
            "written_date": "2026-01-06",
            "published_date": "2026-01-07",
            "validity": "有效",
            "disclosure": "主动公开",
        },
        flags=["meta_written_date_from:生成日期"],
    ),
    Case(
        "jiangyin-6cell",
        "Jiangyin: 6-cell rows, 生成日期 beside a real 成文日期, 公开时限",
        """
<table class="xxgk_table">
<tr><td class="title">信息索引号</td><td>01404053X/2023-00861</td><td class="title">生成日期</td><td>2024-01-15</td>
<td class="title">成文日期</td><td>2024-01-10</td></tr>
<tr><td class="title">文件编号</td><td>澄政办发〔2024〕3号</td><td class="title">公开时限</td><td>长期公开</td>
<td class="title">公开方式</td><td>主动公开</td></tr>
</table>""",  # noqa: E501
        {
            "index_no": "01404053X/2023-00861",
            "written_date": "2024-01-10",
            "doc_number": "澄政办发〔2024〕3号",
            "disclosure": "主动公开",
            "disclosure_term": "长期公开",
        },
    ),
    Case(
        "liangzhou-label-row",
        "Liangzhou 2009: label row then value row, then a 信息来源/发布日期/浏览次数 byline",
        """
<table class="xx"><tr><td>索引号</td><td>公开方式</td><td>发布机构</td></tr>
<tr><td>013995120/2009-00001</td><td>主动公开</td><td>凉州区人民政府</td></tr></table>
<div class="info">信息来源: 凉州区政府办 发布日期: 2009-01-06 浏览次数: 次</div>""",
        {
            "index_no": "013995120/2009-00001",
            "publisher": "凉州区人民政府",
            "published_date": "2009-01-06",
            "disclosure": "主动公开",
        },
    ),
    Case(
        "th-td",
        "th/td with stray spaces, half-width colons, 2024/1/22 date",
        """
<table class="zwgk"><tr><th> 制发机关 : </th><td> 青溪县财政局 </td><th>效力状况</th><td>有效</td></tr>
<tr><th>文件编号 :</th><td>青财〔2024〕3号</td><th>发布日期:</th><td>2024/1/22</td></tr></table>""",  # noqa: E501
        {
            "publisher": "青溪县财政局",
            "published_date": "2024-01-22",
            "doc_number": "青财〔2024〕3号",
            "validity": "有效",
        },
    ),
    Case(
        "wuhan-ul-li",
        "Wuhan div.sub ul/li, index number in 发文字号",
        """
<div class="sub"><ul>
<li>索引号： K28044908/2026-04277</li><li>发文机构：后湖街道办事处</li>
<li>发文字号：696785044/2026-00017</li><li>主题分类：政务公开</li>
<li>成文日期：2026年02月13日</li><li>发布日期：2026年02月14日</li><li>有效性： 有效</li></ul></div>""",  # noqa: E501
        {
            "index_no": "K28044908/2026-04277",
            "category": "政务公开",
            "publisher": "后湖街道办事处",
            "written_date": "2026-02-13",
            "published_date": "2026-02-14",
            "validity": "有效",
        },
        flags=["meta_index_no_in_doc_number:696785044/2026-00017"],
    ),
    Case(
        "anhui-li-span",
        "Anhui li/span variants: label span with colon, label span then ：value, empty value",
        """
<div class="xxgk-info"><ul>
<li><span class="lab">索引号：</span><span>113417030032499282/202011-00140</span></li>
<li><span>发布机构</span>：青阳县蓉城镇人民政府</li>
<li><span class="lab">组配分类：</span><span>政府信息公开年报</span></li>
<li><span class="lab">成文日期：</span><span>2020-11-20</span></li>
<li><span class="lab">有效性：</span><span></span></li></ul></div>""",
        {
            "index_no": "113417030032499282/202011-00140",
            "category": "政府信息公开年报",
            "publisher": "青阳县蓉城镇人民政府",
            "written_date": "2020-11-20",
        },
    ),
    Case(
        "gansu-li-label",
        "Gansu li with <label> and no colons, lower-case index tail, 文号 无",
        """
<ul class="article-meta"><li><label>索引号</label><span>1162042101391301xj/2024-00001</span></li>
<li><label>发布机构</label><span>景泰县五佛乡人民政府</span></li>
<li><label>成文日期</label><span>2024-01-18</span></li><li><label>文号</label><span>无</span></li></ul>""",
        {
            "index_no": "1162042101391301xj/2024-00001",
            "publisher": "景泰县五佛乡人民政府",
            "written_date": "2024-01-18",
        },
    ),
    Case(
        "zhejiang-div-rows",
        "Zhejiang div rows without colons: 组配分类, 统一编号, 有效性",
        """
<div class="xxgk_top"><div class="row"><span class="tit">索 引 号</span>
<span class="con">1133068200259085XF/2024-28256</span></div>
<div class="row"><span class="tit">组配分类</span><span class="con">政府信息公开年报</span></div>
<div class="row"><span class="tit">发布机构</span><span class="con">下管镇人民政府</span></div>
<div class="row"><span class="tit">文件编号</span><span class="con"></span></div>
<div class="row"><span class="tit">统一编号</span><span class="con">ZJDC01-2024-0001</span></div>
<div class="row"><span class="tit">有效性</span><span class="con">有效</span></div></div>""",
        {
            "index_no": "1133068200259085XF/2024-28256",
            "category": "政府信息公开年报",
            "publisher": "下管镇人民政府",
            "validity": "有效",
            "registration_no": "ZJDC01-2024-0001",
        },
    ),
    Case(
        "suzhou-dl",
        "Suzhou dl/dt/dd, 文号 無, 内容概述",
        """
<div class="xxgkml-content"><dl><dt>索引号</dt><dd>014000001/2024-00001</dd><dt>分类</dt><dd>年度报告</dd>
<dt>发布机构</dt><dd>姑苏区司法局</dd><dt>发文日期</dt><dd>2024-01-12</dd><dt>文号</dt><dd>無</dd>
<dt>内容概述</dt><dd>姑苏区司法局年度政务公开工作情况</dd></dl></div>""",  # noqa: E501
        {
            "index_no": "014000001/2024-00001",
            "category": "年度报告",
            "publisher": "姑苏区司法局",
            "written_date": "2024-01-12",
            "summary": "姑苏区司法局年度政务公开工作情况",
        },
    ),
    Case(
        "anqing-th-td",
        "Anqing th/td: 信息分类 beats 体裁分类, audience, lifecycle, scope, keywords",
        """
<table class="table_suoyin">
<tr><th>索引号：</th><td>003110926/201510-00216</td><th>信息分类：</th><td>政府信息公开年报</td></tr>
<tr><th>体裁分类：</th><td>报告</td><th>服务对象分类：</th><td>公众</td></tr>
<tr><th>生命周期分类：</th><td>其他</td><th>发布机构：</th><td>大观区人民政府</td></tr>
<tr><th>公开范围：</th><td>面向社会</td><th>关键词：</th><td>年报</td></tr>
<tr><th>成文日期：</th><td>2015-10-08</td><th>发布日期：</th><td>2015-10-09</td></tr></table>""",
        {
            "index_no": "003110926/201510-00216",
            "category": "政府信息公开年报",
            "publisher": "大观区人民政府",
            "written_date": "2015-10-08",
            "published_date": "2015-10-09",
            "keywords": "年报",
            "disclosure_scope": "面向社会",
            "audience": "公众",
            "lifecycle": "其他",
        },
    ),
    Case(
        "qiqihar-spaced",
        "Qiqihar: 索   引   号 with ASCII spaces, date-id index, 上载日期",
        """
<table><tr><td>索   引   号：</td><td>20191202-189769</td><td>发文日期：</td><td>2019年12月02日</td></tr>
<tr><td>发布机构：</td><td>龙沙区人民政府</td><td>上载日期：</td><td>2019年12月03日</td></tr></table>""",  # noqa: E501
        {
            "index_no": "20191202-189769",
            "publisher": "龙沙区人民政府",
            "written_date": "2019-12-02",
            "published_date": "2019-12-03",
        },
    ),
    Case(
        "shangyu",
        "Shangyu: 发布单位, 公开日期 with a time, empty 文号 and trailing empty cells",
        """
<table><tr><td>索引号</td><td>002591234/2015-00012</td><td>公开方式</td><td>主动公开</td></tr>
<tr><td>文号</td><td></td><td>公开日期</td><td>2015-07-27 16:32</td></tr>
<tr><td>发布单位</td><td>下管镇</td><td></td><td></td></tr></table>""",
        {
            "index_no": "002591234/2015-00012",
            "publisher": "下管镇",
            "published_date": "2015-07-27",
            "disclosure": "主动公开",
        },
    ),
    Case(
        "anshun-laiyuan",
        "Anshun: 来源 before 发布机构 in one table, 发布机构 wins",
        """
<table class="xxgk_table">
<tr><td>索引号：</td><td>11520400MB1234567X/2024-00031</td><td>成文日期：</td><td>2024年01月16日</td></tr>
<tr><td>来源：</td><td>西秀区</td><td>发布机构：</td><td>西秀区东屯乡人民政府</td></tr></table>""",
        {
            "index_no": "11520400MB1234567X/2024-00031",
            "publisher": "西秀区东屯乡人民政府",
            "written_date": "2024-01-16",
        },
    ),
    Case(
        "jingyuan-suoshu",
        "Jingyuan: 所属机构 with an empty 发布机构, 关键字, 发布时间 with seconds",
        """
<table><tr><td>所属机构：</td><td>靖远县东湾镇人民政府</td><td>发布机构：</td><td></td></tr>
<tr><td>关键字：</td><td>年报</td><td>发布时间：</td><td>2024-01-24 10:12:05</td></tr></table>""",
        {"publisher": "靖远县东湾镇人民政府", "published_date": "2024-01-24", "keywords": "年报"},
    ),
    Case(
        "nanxian-paragraphs",
        "Nanxian: one label：value paragraph each, 归档时间",
        """
<p>索引号：430921000/2024-00005</p><p>发布机构：三仙湖镇人民政府</p><p>归档时间：2024-01-30</p>""",
        {
            "index_no": "430921000/2024-00005",
            "publisher": "三仙湖镇人民政府",
            "published_date": "2024-01-30",
        },
    ),
    Case(
        "label-value-cell",
        "label and value in one cell, 2024年1月5日",
        """
<table class="info"><tr><td>索引号：11430921MB1C12345Y/2024-00002</td><td>发布机构：茅草街镇人民政府</td></tr>
<tr><td>成文日期：2024年1月5日</td><td>文号：无</td></tr></table>""",  # noqa: E501
        {
            "index_no": "11430921MB1C12345Y/2024-00002",
            "publisher": "茅草街镇人民政府",
            "written_date": "2024-01-05",
        },
    ),
    Case(
        "hanweb-byline",
        "Hanweb byline: comment-wrapped 信息来源, 发布时间, 浏览次数",
        """
<div class="xxgk-info">信息来源：<!--<$[信息来源]>begin-->龙潭乡人民政府<!--<$[信息来源]>end-->　发布时间：2024-01-22 09:30　浏览次数：<span>128</span></div>""",  # noqa: E501
        {"publisher": "龙潭乡人民政府", "published_date": "2024-01-22"},
    ),
    Case(
        "fzja-byline",
        "fzja byline: 来源 and a bare 时间 label",
        """
<div class="info">来源：区人民政府办公室 时间：2017-01-12 10:01</div>""",
        {"publisher": "区人民政府办公室", "published_date": "2017-01-12"},
    ),
    Case(
        "apart-no-colon",
        "labels standing apart without colons on one line",
        """
<p class="info">索 引 号 000014349/2024-00044　发布机构 青溪县林业局　发布日期 2024-01-11</p>""",
        {
            "index_no": "000014349/2024-00044",
            "publisher": "青溪县林业局",
            "published_date": "2024-01-11",
        },
    ),
    Case(
        "placeholders",
        "placeholders: 無, — —, 暂无, / and an empty cell",
        """
<table><tr><td>索引号</td><td>000014349/2024-00031</td><td>文号</td><td>無</td></tr>
<tr><td>发布机构</td><td>青溪县水利局</td><td>有效性</td><td>— —</td></tr>
<tr><td>主题词</td><td>暂无</td><td>发文日期</td><td>2024年1月5日</td></tr>
<tr><td>公开方式</td><td>/</td><td>标题</td><td></td></tr></table>""",
        {
            "index_no": "000014349/2024-00031",
            "publisher": "青溪县水利局",
            "written_date": "2024-01-05",
        },
    ),
    Case(
        "index-in-doc-number",
        "Jiangsu gxt: an index number in 发文字号 and no 索引号 of its own",
        """
<table><tr><td>发文字号</td><td>696785044/2026-00017</td><td>发布机构</td><td>青溪县工业和信息化局</td></tr>
<tr><td>发布日期</td><td>2026-01-20</td><td>有效性</td><td>有效</td></tr></table>""",
        {
            "index_no": "696785044/2026-00017",
            "publisher": "青溪县工业和信息化局",
            "published_date": "2026-01-20",
            "validity": "有效",
        },
        flags=["meta_index_no_in_doc_number:696785044/2026-00017"],
    ),
    Case(
        "nested-layout-table",
        "header table nested in a layout table, 2024.01.09 dates",
        """
<table width="100%"><tr><td><table class="xxgk"><tr><td>索引号：</td><td>012345678/2024-00009</td>
<td>发布机构：</td><td>柳河镇人民政府</td></tr><tr><td>成文日期：</td><td>2024.01.09</td>
<td>发布日期：</td><td>2024.01.10</td></tr></table></td></tr></table>""",
        {
            "index_no": "012345678/2024-00009",
            "publisher": "柳河镇人民政府",
            "written_date": "2024-01-09",
            "published_date": "2024-01-10",
        },
    ),
    Case(
        "nbsp-labels",
        "labels with NBSP inside, 名　　称, an empty 发文日期 beside 成文日期",
        """
<table class="table-xxgk">
<tr><td>索&nbsp;引&nbsp;号：</td><td>11411523MB1234567Q/2024-00003</td><td>分类：</td><td>政府信息公开年报</td></tr>
<tr><td>发布机构：</td><td>平昌关镇人民政府</td><td>成文日期：</td><td>2024-01-05</td></tr>
<tr><td>名　　称：</td><td colspan="3">平昌关镇2023年政府信息公开工作年度报告</td></tr>
<tr><td>文&nbsp;&nbsp;号：</td><td></td><td>发文日期：</td><td></td></tr></table>""",
        {
            "index_no": "11411523MB1234567Q/2024-00003",
            "category": "政府信息公开年报",
            "publisher": "平昌关镇人民政府",
            "written_date": "2024-01-05",
            "title": "平昌关镇2023年政府信息公开工作年度报告",
        },
    ),
    Case(
        "twice",
        "the same header twice: a desktop table and a mobile list",
        """
<table class="pc-info"><tr><td>索引号</td><td>000014349/2024-00077</td><td>发布机构</td><td>青溪县教育局</td></tr></table>
<div class="m-info"><ul><li>索引号：000014349/2024-00077</li><li>发布机构：青溪县教育局</li></ul></div>""",  # noqa: E501
        {"index_no": "000014349/2024-00077", "publisher": "青溪县教育局"},
    ),
    Case(
        "repeated-under-title",
        "the header values repeated as text under the title",
        """
<div class="xl-info"><span>发布机构：青溪县卫生健康局</span><span>发布日期：2024-01-25</span>
<span>浏览次数：<em>56</em></span><span>字号：[ <a>大</a> <a>中</a> <a>小</a> ]</span></div>""",
        {"publisher": "青溪县卫生健康局", "published_date": "2024-01-25"},
    ),
    Case(
        "meta-tags-only",
        "no header: only the 政府网站发展指引 <meta> block",
        "",
        {
            "publisher": "青溪县审计局",
            "published_date": "2024-01-22",
            "title": "青溪县审计局2023年政府信息公开工作年度报告",
        },
        flags=["meta_no_header"],
        head=(
            '<meta name="ArticleTitle" content="青溪县审计局2023年政府信息公开工作年度报告">'
            '<meta name="PubDate" content="2024-01-22 10:30">'
            '<meta name="ContentSource" content="青溪县审计局">'
        ),
    ),
]


def header_fragments(header: str) -> list[str]:
    """Every piece of text the header shows (labels and values), comments excluded."""
    if not header.strip():
        return []
    root = lxml_html.fragment_fromstring(header, create_parent="div")
    texts = (t.strip() for t in root.xpath("//text()[not(parent::comment())]"))
    return [t.strip("：: ") for t in texts if t.strip("：: ")]


@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_header_fields_and_clean_body(case: Case, placement: str) -> None:
    container = PLACEMENTS[placement].format(header=case.header, body=BODY)
    page = extract_page(
        SHELL.format(head=case.head, container=container).encode("utf-8"),
        "http://www.qingxi.gov.cn/art/2024/1/22/art_1014_59000101.html",
    )
    assert page.meta == case.meta
    assert [f for f in page.flags if f.startswith("meta_")] == case.flags
    assert page.text == BODY_TEXT
    # The same, named: no label and no value of the header is left (values the body itself
    # says, like 无 or 主动公开, are not evidence either way).
    leaked = [f for f in header_fragments(case.header) if f in page.text and f not in BODY_TEXT]
    assert not leaked
