"""The one script file a generated portal serves to every page (as real portals include their
copy of jQuery and a common.js): a small ``$`` with ``$.ajax``, and the functions the pages'
inline scripts call to draw lists, unit trees and search results. With it the pages work in a
browser too, so a crawler that renders pages sees the lists drawn by script."""

from __future__ import annotations

PATHS = (
    "/js/jquery.min.js",
    "/static/js/jquery-1.8.3.min.js",
    "/script/jquery.js",
    "/res/js/common.js",
    "/templates/js/jquery.js",
)

COMMON_JS = r"""
(function () {
  function $(sel) {
    var el = typeof sel === "string" ? document.querySelector(sel) : sel;
    return {
      html: function (h) { if (el) { el.innerHTML = h; } return this; },
      val: function () { return el ? el.value : ""; }
    };
  }
  function encode(data) {
    var out = [];
    for (var k in data) { out.push(encodeURIComponent(k) + "=" + encodeURIComponent(data[k])); }
    return out.join("&");
  }
  $.ajax = function (o) {
    var x = new XMLHttpRequest(), q = encode(o.data || {});
    var get = (o.type || "GET").toUpperCase() === "GET";
    var url = get && q ? o.url + (o.url.indexOf("?") < 0 ? "?" : "&") + q : o.url;
    x.open(get ? "GET" : "POST", url);
    if (!get) { x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded"); }
    x.onload = function () {
      var type = x.getResponseHeader("Content-Type") || "", r = x.responseText;
      if (o.dataType === "xml" || /xml/.test(type)) { r = x.responseXML; }
      else if (o.dataType === "json" || /json/.test(type)) { try { r = JSON.parse(r); } catch (e) {} }
      if (o.success) { o.success(r); }
    };
    x.send(get ? null : q);
  };
  $.getJSON = function (url, data, success) {
    $.ajax({url: url, type: "GET", dataType: "json", data: data, success: success});
  };
  window.$ = window.jQuery = $;

  function rows(res) {  // the first array anywhere in the answer
    var todo = [res];
    while (todo.length) {
      var v = todo.shift();
      if (Object.prototype.toString.call(v) === "[object Array]") { return v; }
      if (v && typeof v === "object") { for (var k in v) { todo.push(v[k]); } }
    }
    return [];
  }
  function total(res) {
    if (typeof res === "string") {
      var m = /data-total-page="(\d+)"/.exec(res); return m ? +m[1] : 1;
    }
    if (res && res.nodeType === 9) {
      var t = res.getElementsByTagName("totalpage")[0]; return t ? +t.textContent : 1;
    }
    var todo = [res];
    while (todo.length) {
      var v = todo.shift();
      if (v && typeof v === "object") {
        var n = v.totalPage || v.pageCount || v.pages || v.totalPages;
        if (n) { return +n; }
        for (var k in v) { todo.push(v[k]); }
      }
    }
    return 1;
  }
  function item(it) {
    var u = it.url || it.link || it.href || it.docUrl ||
      (window.detailUrl && it.id ? window.detailUrl + it.id : "");
    var t = it.title || it.name || it.subject || "";
    return '<li><a href="' + u + '" target="_blank">' + t + "</a><span>" + (it.date || "") +
      "</span></li>";
  }
  function draw(res) {
    if (typeof res === "string") { return res; }
    if (res && res.nodeType === 9) {
      var recs = res.getElementsByTagName("record"), h = "";
      for (var i = 0; i < recs.length; i++) { h += recs[i].textContent; }
      return h;
    }
    var list = rows(res), out = "";
    for (var j = 0; j < list.length; j++) { out += item(list[j]); }
    return out;
  }
  window.render = function (res, p) {
    $("#list").html(draw(res));
    var n = total(res);
    $("#pager").html(p < n ? '<a href="javascript:loadList(' + (p + 1) + ')">下一页</a>' : "");
  };
  window.drawList = function (res) { $("#list").html(draw(res)); };
  window.drawTree = function (nodes) {
    var h = "";
    (function walk(ns) {
      for (var i = 0; i < ns.length; i++) {
        var n = ns[i];
        if (n.children) { h += "<b>" + n.name + "</b> "; walk(n.children); }
        else { h += '<a href="javascript:void(0)" onclick="openUnit(\'' + n.id + '\')">' + n.name + "</a> "; }
      }
    })(nodes);
    $("#tree").html(h);
  };
  window.show = function (results) {
    var el = document.getElementById("results");
    if (!el) { el = document.body.appendChild(document.createElement("ul")); el.id = "results"; }
    el.innerHTML = draw({results: results});
  };
})();
"""  # noqa: E501
