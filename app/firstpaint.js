// The first paint without wasm, inlined into index.html right after #prepaint by
// tools/postbuild.mjs (a classic script: it runs before the first paint; the relay allows it by
// its hash). It only reads: localStorage (language, elder mode, the enrolled hint the app
// writes), the demo's people (/api/demo), and IndexedDB "linli", opened without a version (a
// phone that has none gets none: the creation is aborted) and closed as soon as it is read.
// The app renders off-screen and replaces #prepaint in one step (platform::take_over), taking
// what was typed and a tap on Join or on a person with it (window.linliPending).
(function () {
  var root = document.getElementById("prepaint");
  if (!root) return;
  // A finger (or button) down on the painted page: the app waits for the tap to end before
  // it replaces the page (platform::firstpaint::untouched), so the tap's click is not lost.
  var up = null;
  root.addEventListener("pointerdown", function () {
    clearTimeout(up);
    window.linliPointerDown = true;
  }, true);
  var release = function () {
    clearTimeout(up);
    // The click follows the pointer's release: give it the moment it needs.
    up = setTimeout(function () {
      window.linliPointerDown = false;
    }, 120);
  };
  root.addEventListener("pointerup", release, true);
  root.addEventListener("pointercancel", release, true);
  function ls(k) {
    try {
      return localStorage.getItem(k);
    } catch (e) {
      return null;
    }
  }
  var en = ls("linli.lang") === "en";
  var t = function (zh, e) {
    return en ? e : zh;
  };
  document.documentElement.lang = en ? "en" : "zh-CN";
  if (ls("linli.elder") === "1") document.body.classList.add("elder");
  var enrolMarkup = root.innerHTML;
  var esc = function (s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  };

  // ---------------------------------------------------------------- not enrolled: the form
  function translate() {
    if (!en && !root.querySelector("[data-zh]")) return;
    root.querySelectorAll("[data-en]").forEach(function (el) {
      if (el.dataset.zh === undefined) el.dataset.zh = el.textContent;
      el.textContent = en ? el.dataset.en : el.dataset.zh;
    });
    root.querySelectorAll("[data-en-label]").forEach(function (el) {
      if (el.dataset.zhLabel === undefined) el.dataset.zhLabel = el.getAttribute("aria-label");
      el.setAttribute("aria-label", en ? el.dataset.enLabel : el.dataset.zhLabel);
    });
  }
  function join(code) {
    window.linliPending = code;
    var b = root.querySelector("form .primary");
    if (b) {
      b.disabled = true;
      b.textContent = t("正在加入…", "Joining…");
    }
  }
  function enrolPage() {
    // Back from a shell painted on a stale hint; on a first visit the markup is already there.
    if (root.innerHTML !== enrolMarkup) root.innerHTML = enrolMarkup;
    translate();
    var input = root.querySelector("#invite-code");
    var m = /^#\/?join\/(.+)$/.exec(location.hash);
    if (m && input) input.value = decodeURIComponent(m[1]);
    root.querySelector(".lang").onclick = function () {
      en = !en;
      try {
        localStorage.setItem("linli.lang", en ? "en" : "zh-CN");
      } catch (e) {}
      document.documentElement.lang = en ? "en" : "zh-CN";
      translate();
    };
    root.querySelector("form").onsubmit = function (ev) {
      ev.preventDefault();
      var code = input.value.replace(/[^0-9a-z]/gi, "");
      var err = root.querySelector("#invite-error");
      if (code.length !== 8) {
        err.textContent = t("邀请码是 8 位字母或数字。", "An invite code has 8 letters or digits.");
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      err.textContent = "";
      input.setAttribute("aria-invalid", "false");
      join(code);
    };
    // The demo community's people, when this relay has them (the app fetches them again).
    if (!window.fetch) return;
    fetch("/api/demo")
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (d) {
        var main = root.querySelector("main.enrol");
        if (!d || !d.people || !d.people.length || !main) return;
        var s = document.createElement("section");
        s.className = "demo";
        s.setAttribute("aria-labelledby", "demo-title");
        s.innerHTML =
          '<h3 id="demo-title">' + t("体验演示社区", "Try the demo community") + "</h3><p>" +
          t("以下面任何一位的身份进入：", "Enter as any of these people:") + '</p><ul class="personas">' +
          d.people
            .map(function (p) {
              return '<li><button type="button" class="persona" data-code="' + esc(p.code) + '"><strong>' +
                esc(p.name) + "</strong><span>" + esc(en ? p.en : p.zh) + "</span></button></li>";
            })
            .join("") +
          "</ul>";
        s.onclick = function (ev) {
          var b = ev.target.closest && ev.target.closest("button.persona");
          if (b) join(b.dataset.code);
        };
        main.appendChild(s);
      })
      .catch(function () {});
  }

  // ---------------------------------------------------------------- enrolled: shell and cards
  var BELL =
    '<svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.8V3.5a1.5 1.5 0 0 0-3 0v.7A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"></path></svg>';
  var SPEAK =
    '<svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3Zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4Zm-2.5-9v2.1a7 7 0 0 1 0 13.8V21a9 9 0 0 0 0-18Z"></path></svg>';
  var works = function (role) {
    return role === "grid_worker" || role === "staff";
  };
  function heading(role) {
    return role === "grid_worker" ? t("我的网格队列", "My grid queue") : role === "staff" ? t("全部未办结诉求", "All open requests") : t("我的诉求", "My requests");
  }
  function tabs(role) {
    var route = location.hash.replace(/^#\/?/, "");
    var tab = function (hash, zh, e, icon) {
      var cur = route === hash;
      return '<a href="#/' + hash + '" class="tab' + (cur ? " current" : "") + '" aria-current="' + (cur ? "page" : "false") +
        '"><span class="icon" aria-hidden="true">' + icon + "</span><span>" + t(zh, e) + "</span></a>";
    };
    var home = role === "grid_worker" ? ["网格队列", "Grid queue"] : role === "staff" ? ["全部诉求", "All requests"] : ["我的诉求", "My requests"];
    return '<nav class="tabbar" aria-label="' + t("主菜单", "Main menu") + '">' + tab("", home[0], home[1], "☰") +
      tab("file", "提交诉求", "File a request", "＋") +
      (role === "staff" ? tab("people", "成员", "People", "☺") : role === "volunteer" ? tab("elders", "长辈", "Elders", "♡") : "") +
      tab("more", "社区", "Community", "▦") +
      tab("settings", "设置", "Settings", "⚙") + "</nav>";
  }
  // The sync indicator says what the app's says until it has connected (it is not connected).
  function shell(role, brand, main) {
    return '<header class="topbar"><h1 class="brand">' + esc(brand || t("邻里", "Linli")) +
      '</h1><div class="sync off" aria-hidden="true"><span class="dot"></span><span class="word">' +
      t("离线", "Offline") + '</span><span class="pending"></span><span class="last"></span></div><a href="#/notes" class="bell" aria-label="' +
      t("消息", "Notifications") + '">' + BELL + '</a><button class="lang" type="button" aria-label="' +
      t("EN：切换到英文", "中文: switch to Chinese") + '">' + t("EN", "中文") + "</button></header>" +
      (main || '<main class="page"></main>') + tabs(role);
  }

  // The deadline rules of shared/src/domain/requests/deadline.rs and request.rs (Request::status,
  // colour_now, clock_start, answer_since_clock, deadline; due_at and working_days_left for
  // working days), shared/src/domain/community/calendar.rs (the holiday table: keep these two
  // lists equal to its HOLIDAYS and MAKEUP_WORKDAYS; an app test checks it), and
  // Lang::countdown / due_countdown / status / colour.
  var HOUR = 3600000, DAY = 24 * HOUR, SEARCH_DAYS = 3660;
  var TABLE_HOLIDAYS = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", "2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"];
  var TABLE_WORKDAYS = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"];
  var WORKDAYS_DEFAULT = { red: 2, yellow: 5, blue: 15 };
  function shanghaiDay(ms) {
    return Math.floor((ms + 8 * HOUR) / DAY);
  }
  function isWorkingDay(day, cfg) {
    var s = new Date(day * DAY).toISOString().slice(0, 10), w = ((day % 7) + 7) % 7;
    if ((cfg.extra_workdays || []).indexOf(s) >= 0) return true;
    if ((cfg.extra_holidays || []).indexOf(s) >= 0) return false;
    if (TABLE_WORKDAYS.indexOf(s) >= 0) return true;
    if (TABLE_HOLIDAYS.indexOf(s) >= 0) return false;
    return w !== 2 && w !== 3; // 1970-01-01 was a Thursday
  }
  function workingDueAt(start, colour, cfg) {
    var n = Math.max(1, (cfg.workdays || WORKDAYS_DEFAULT)[colour] || 0), first = shanghaiDay(start), day = first, counted = 0;
    while (counted < n && day - first < SEARCH_DAYS) {
      day++;
      if (isWorkingDay(day, cfg)) counted++;
    }
    return (day + 1) * DAY - 8 * HOUR;
  }
  function workingDaysLeft(dueAt, now, cfg) {
    var today = shanghaiDay(now), last = Math.min(shanghaiDay(dueAt - 1), today + SEARCH_DAYS), n = 0;
    for (var d = today + 1; d <= last; d++) if (isWorkingDay(d, cfg)) n++;
    return n;
  }
  var STATUS = ["filed", "accepted", "in_progress", "answered", "resolved"];
  var STATUS_WORD = { filed: ["已提交", "Filed"], accepted: ["已受理", "Accepted"], in_progress: ["处理中", "In progress"], answered: ["已答复", "Answered"], resolved: ["已办结", "Resolved"] };
  var COLOUR_WORD = { red: ["紧急", "Urgent", "◆"], yellow: ["一般", "Normal", "▲"], blue: ["建议", "Suggestion", "●"] };
  function assess(r, cfg, now) {
    var status = "filed", colour = r.colour, start = r.filed_at, answers = [];
    r.events.forEach(function (e) {
      var k = e.kind || {};
      if (k.type === "status") status = k.to;
      else if (k.type === "answer") {
        if (STATUS.indexOf(status) < 3) status = "answered";
        if (k.substantive) answers.push(e.at);
      } else if (k.type === "reopen") {
        status = "accepted";
        start = e.at;
      } else if (k.type === "recolour") colour = k.to;
    });
    var span = (cfg[colour] || 0) * HOUR;
    var working = cfg.mode === "working_days";
    var dueAt = working ? workingDueAt(start, colour, cfg) : start + span;
    var remaining = dueAt - now;
    var answered = answers.filter(function (a) {
      return a >= start;
    })[0];
    var left = working && answered === undefined && status !== "resolved" && remaining >= 0 ? workingDaysLeft(dueAt, now, cfg) : null;
    var soon = left !== null ? left === 0 : remaining < Math.min(span / 4, 12 * HOUR);
    var due =
      answered !== undefined ? (answered <= dueAt ? "on_time" : "late")
      : status === "resolved" ? "on_time"
      : remaining < 0 ? "overdue"
      : soon ? "soon"
      : "on_track";
    return { status: status, colour: colour, dueAt: dueAt, remaining: remaining, due: due, left: left };
  }
  function dueCountdown(a) {
    if (a.left > 0) return t("还剩 " + a.left + " 个工作日", a.left === 1 ? "1 working day left" : a.left + " working days left");
    return countdown(a.remaining);
  }
  function countdown(ms) {
    var r = Math.abs(ms), d = Math.floor(r / (24 * HOUR)), h = Math.floor((r % (24 * HOUR)) / HOUR), m = Math.floor((r % HOUR) / 60000);
    var span = en ? (d > 0 ? d + " d " + h + " h" : h > 0 ? h + " h " + m + " min" : m + " min") : d > 0 ? d + "天" + h + "小时" : h > 0 ? h + "小时" + m + "分" : m + "分钟";
    return ms < 0 ? t("已超期 " + span, span + " overdue") : t("还剩 " + span, span + " left");
  }
  function card(it, elder) {
    var a = it.a, c = COLOUR_WORD[a.colour] || COLOUR_WORD.blue, s = STATUS_WORD[a.status] || STATUS_WORD.filed;
    var overdue = a.due === "overdue";
    var dueText = a.due === "on_time" ? t("已按时答复", "Answered on time") : a.due === "late" ? t("已答复（超时）", "Answered late") : dueCountdown(a);
    return '<li class="card' + (overdue ? " overdue" : "") + '" data-id="' + esc(it.id) + '"><a href="#/r/' + esc(it.id) +
      '" class="card-link"><div class="card-top"><span class="chip ' + esc(a.colour) + '"><span aria-hidden="true">' + c[2] + "</span> " + t(c[0], c[1]) +
      '</span><span class="status">' + t(s[0], s[1]) + '</span></div><h3 class="card-title">' + esc(it.r.title) +
      '</h3><div class="card-meta"><span class="due' + (a.due === "soon" ? " warn" : "") + (overdue ? " late" : "") + '">' + (overdue ? "⚠ " : "") + dueText +
      '</span><span class="upload"></span></div></a>' +
      (elder ? '<div class="card-actions"><button type="button" class="speak">' + SPEAK + t("朗读", "Read aloud") + "</button></div>" : "") + "</li>";
  }
  // Shanghai time of an instant: "YYYY-MM-DD" (date) and "MM-DD HH:MM" (short, as Lang::time).
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function shanghai(ms) {
    return new Date(ms + 8 * 3600000);
  }
  function short(ms) {
    var d = shanghai(ms);
    return pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }
  // The garbage-sorting reminders a household has not read and the visits asked of a
  // volunteer, as the app's MyReminders shows them (pages/sorting/home.rs).
  function reminders(session, sums) {
    var toRead = [], visits = [], elder = document.body.classList.contains("elder");
    sums.forEach(function (s) {
      var v = s.v;
      if (v.kind !== "reminder" || v.closed_at != null) return;
      if (session.household != null && v.household === session.household && v.read_at == null) toRead.push(v);
      if (v.volunteer && v.volunteer === session.person && v.visited_at == null) visits.push({ id: s.id, v: v });
    });
    toRead.sort(function (a, b) {
      return b.at - a.at;
    });
    visits.sort(function (a, b) {
      return a.v.at - b.v.at;
    });
    var html = "";
    if (toRead.length) {
      html += '<section class="card reminders-home" aria-labelledby="rh-title" data-testid="my-reminders"><h2 id="rh-title">' +
        t("网格提醒", "A reminder from your grid") + '</h2><ul class="rows">' + toRead.map(function (r) {
          var from = r.by_name || t("网格员", "your grid worker");
          return '<li data-testid="reminder"><p class="reminder-text">' + esc(r.text) + '</p><p class="meta">' +
            esc(r.point + " · " + from + " · " + short(r.at)) + "</p>" +
            (elder ? '<button type="button" class="speak" data-testid="read-aloud">' + SPEAK + t("朗读", "Read aloud") + "</button>" : "") +
            '<button type="button" class="primary" data-testid="reminder-ok">' + t("我知道了", "Got it") + "</button></li>";
        }).join("") + "</ul></section>";
    }
    if (visits.length) {
      html += '<section class="card visits-home" aria-labelledby="vh-title" data-testid="my-visits"><h2 id="vh-title">' +
        t("请您上门指导垃圾分类", "Sorting visits asked of you") + '</h2><ul class="rows">' + visits.map(function (x) {
          var r = x.v, f = "visit-note-" + esc(x.id);
          return '<li data-testid="visit"><strong>' + esc(r.flat + " · " + r.point) + '</strong><p class="meta">' + esc(r.text) +
            '</p><label for="' + f + '">' + t("上门情况（可不填）", "How it went (optional)") + '</label><input id="' + f +
            '" maxlength="300"><button type="button" class="primary" data-testid="visited">' + t("已上门", "Visited") + "</button></li>";
        }).join("") + "</ul></section>";
    }
    return html;
  }
  // The talks' action items this person carries out, as MyActions shows them
  // (pages/talks/mod.rs): not done, soonest due first, late ones marked.
  function actions(session, sums, now) {
    var rows = [], d = shanghai(now);
    var today = d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
    sums.forEach(function (s) {
      if (s.v.kind !== "talk") return;
      (s.v.talk.items || []).forEach(function (i) {
        ((i.decision && i.decision.actions) || []).forEach(function (a) {
          if (a.owner === session.person && !a.done) rows.push({ id: s.id, text: a.text, due: a.due });
        });
      });
    });
    if (!rows.length) return "";
    rows.sort(function (a, b) {
      return a.due < b.due ? -1 : a.due > b.due ? 1 : 0;
    });
    return '<section class="card my-actions" aria-labelledby="my-actions-h" data-testid="my-actions"><h2 id="my-actions-h">' +
      t("我的会谈待办", "My action items from the talks") + '</h2><ul class="rows">' + rows.map(function (r) {
        var late = r.due < today;
        return "<li" + (late ? ' class="late"' : "") + '><a href="#/t/' + esc(r.id) + '" class="row-link"><strong>' + esc(r.text) + "</strong><span" +
          (late ? ' class="late"' : "") + ">" + esc(t("期限", "due") + " " + r.due + (late ? " · " + t("已超期", "overdue") : "")) + "</span></a></li>";
      }).join("") + "</ul></section>";
  }
  // A merchant's own shops with their credit score, as MyShop shows them (pages/merchants).
  function shop(session, sums) {
    var mine = sums.filter(function (s) {
      return s.v.kind === "merchant" && s.v.merchant && s.v.merchant.subject === session.person;
    });
    mine.sort(function (a, b) {
      return b.v.score - a.v.score || (a.v.merchant.name < b.v.merchant.name ? -1 : a.v.merchant.name > b.v.merchant.name ? 1 : 0);
    });
    if (!mine.length) return "";
    return '<section class="card my-shop" aria-labelledby="my-shop-h" data-testid="my-shop"><h2 id="my-shop-h">' +
      t("我的商户信用", "My shop's credit") + '</h2><ul class="rows">' + mine.map(function (s) {
        var v = s.v, open = v.open_responses || 0;
        return '<li><a href="#/m/' + esc(s.id) + '" class="row-link" data-testid="my-shop-link"><strong>' + esc(v.merchant.name) +
          '</strong><span data-testid="my-shop-score">' + esc(t("信用分 ", "Score ") + v.score) + "</span>" +
          (open > 0 ? '<span class="meta">' + esc(en ? open + " deduction(s) to answer" : open + " 条扣分待回复") + "</span>" : "") + "</a></li>";
      }).join("") + "</ul></section>";
  }
  // The coming events on a resident's or volunteer's home screen, as UpcomingCard shows them
  // (pages/events): the next three, soonest first, read aloud in elder mode.
  function upcoming(session, sums, now) {
    if (session.role !== "resident" && session.role !== "volunteer") return "";
    var v = sums.filter(function (s) {
      return s.v.kind === "event" && s.v.starts_at > now;
    });
    v.sort(function (a, b) {
      return a.v.starts_at - b.v.starts_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    v = v.slice(0, 3);
    if (!v.length) return "";
    var hm = function (ms) {
      var d = shanghai(ms);
      return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
    };
    return '<section class="card my-events" aria-labelledby="my-events-h" data-testid="my-events"><h2 id="my-events-h">' +
      t("近期活动", "Coming events") + '</h2><ul class="rows">' + v.map(function (s) {
        var e = s.v;
        return '<li><a href="#/ev/' + esc(s.id) + '" class="row-link" data-testid="my-event-link"><strong>' + esc(e.title) +
          "</strong><span>" + esc(short(e.starts_at) + "–" + hm(e.ends_at) + " · " + e.place) + "</span></a></li>";
      }).join("") + "</ul>" + (document.body.classList.contains("elder") ? '<button type="button" class="speak" data-testid="read-aloud">' +
        SPEAK + t("朗读", "Read aloud") + "</button>" : "") + "</section>";
  }
  // What went wrong while painting (read by the end-to-end tests' diagnostics): one odd
  // summary, or one section, must not cost the whole first screen.
  var problems = (window.linliPrepaintProblems = []);
  function safe(what, f, fallback) {
    try {
      return f();
    } catch (e) {
      problems.push(what + ": " + (e && e.message ? e.message : String(e)));
      return fallback;
    }
  }
  function home(session, sums, now) {
    var role = session.role, cfg = { red: 48, yellow: 120, blue: 360 }, community = null, items = [];
    sums.forEach(function (s) {
      if (s.v.kind === "community" && s.id === session.community_doc) community = s.v.community;
    });
    if (community && community.deadlines) cfg = community.deadlines;
    sums.forEach(function (s) {
      if (s.v.kind !== "request") return;
      var r = s.v.request;
      safe("request " + s.id, function () {
        items.push({ id: s.id, r: r, a: assess(r, cfg, now) });
      });
    });
    var all;
    if (works(role)) {
      all = items.filter(function (i) {
        return i.a.status !== "resolved" && (role === "staff" || (session.grids || []).indexOf(i.r.grid) >= 0);
      });
      var rank = function (i) {
        return i.a.due === "overdue" ? 0 : i.a.due === "soon" || i.a.due === "on_track" ? 1 : i.a.status !== "resolved" ? 2 : 3;
      };
      all.sort(function (x, y) {
        return rank(x) - rank(y) || x.a.dueAt - y.a.dueAt || x.r.filed_at - y.r.filed_at;
      });
    } else {
      all = items.filter(function (i) {
        return (session.household != null && i.r.household === session.household) || i.r.filed_by === session.person;
      });
      all.sort(function (x, y) {
        return y.r.filed_at - x.r.filed_at;
      });
    }
    var f = {};
    try {
      f = JSON.parse(ls("linli.queue.filters") || "{}") || {};
    } catch (e) {}
    var shown = !works(role) ? all : all.filter(function (i) {
      return (!f.colour || i.a.colour === f.colour) && (!f.status || i.a.status === f.status) && (!f.category || i.r.category === f.category);
    });
    var overdue = all.filter(function (i) {
      return i.a.due === "overdue";
    });
    var h = heading(role), html = '<main class="page">' +
      safe("reminders", function () { return reminders(session, sums); }, "") +
      safe("actions", function () { return actions(session, sums, now); }, "") +
      safe("shop", function () { return shop(session, sums); }, "") +
      safe("upcoming", function () { return upcoming(session, sums, now); }, "") + "<h2>" + h + "</h2>";
    if (overdue.length && role !== "staff") html += '<p class="overdue-summary" role="note">' + t("⚠ " + overdue.length + " 条已超期", "⚠ " + overdue.length + " overdue") + "</p>";
    if (works(role)) {
      var sel = function (id, label, value, word) {
        return '<label for="' + id + '" class="sr">' + label + '</label><select id="' + id + '"><option>' + esc(word) + "</option></select>";
      };
      var cat = ((community && community.categories) || []).filter(function (c) {
        return c.id === f.category;
      })[0];
      html += '<div class="filters" role="group" aria-label="' + t("筛选", "Filters") + '">' +
        sel("q-colour", t("按紧急程度筛选", "Filter by urgency"), f.colour, COLOUR_WORD[f.colour] ? t(COLOUR_WORD[f.colour][0], COLOUR_WORD[f.colour][1]) : t("全部颜色", "All colours")) +
        sel("q-status", t("按状态筛选", "Filter by status"), f.status, STATUS_WORD[f.status] ? t(STATUS_WORD[f.status][0], STATUS_WORD[f.status][1]) : t("全部状态", "All statuses")) +
        sel("q-cat", t("按类别筛选", "Filter by category"), f.category, cat ? (en ? cat.en : cat.zh) : t("全部类别", "All categories")) + "</div>";
    }
    if (role === "staff") {
      var grids = {};
      overdue.forEach(function (i) {
        grids[i.r.grid] = 1;
      });
      var n = overdue.length, g = Object.keys(grids).length;
      html += '<details class="escalation"><summary>' +
        (n ? t("⚠ " + n + " 条超期未答复，分布在 " + g + " 个网格", "⚠ " + n + " overdue, in " + g + " grids") : t("没有超期的诉求", "Nothing overdue")) + "</summary></details>";
    }
    if (shown.length) {
      var elder = document.body.classList.contains("elder");
      html += '<ul class="cards" aria-label="' + h + '">' + shown.slice(0, 30).map(function (i) {
        return card(i, elder);
      }).join("") + "</ul>";
    } else {
      html += '<p class="empty">' + (works(role) ? t("队列是空的。", "The queue is empty.") : t("还没有诉求。点下方“提交诉求”告诉我们遇到的问题。", "No requests yet. Tap “File a request” below to tell us about a problem.")) + "</p>";
    }
    return { brand: community && community.name, main: html + "</main>" };
  }

  function fromStorage(done) {
    var idb = window.indexedDB;
    if (!idb) return done(null, "no indexedDB");
    var open = function () {
      var req;
      try {
        req = idb.open("linli");
      } catch (e) {
        return done(null, "open threw");
      }
      // No database here: do not create one (the app creates it with its stores).
      req.onupgradeneeded = function () {
        req.transaction.abort();
      };
      req.onerror = function () {
        done(null, "open failed");
      };
      req.onblocked = function () {
        done(null, "open blocked");
      };
      req.onsuccess = function () {
        var db = req.result, out = { sums: [] };
        db.onversionchange = function () {
          db.close();
        };
        try {
          if (!db.objectStoreNames.contains("meta") || !db.objectStoreNames.contains("index")) throw 0;
          var tx = db.transaction(["meta", "index"], "readonly");
          var meta = tx.objectStore("meta"), index = tx.objectStore("index");
          meta.get("session").onsuccess = function (e) {
            out.session = e.target.result;
          };
          meta.get("skew").onsuccess = function (e) {
            out.skew = e.target.result;
          };
          index.getAllKeys().onsuccess = function (e) {
            out.keys = e.target.result;
          };
          index.getAll().onsuccess = function (e) {
            out.values = e.target.result;
          };
          tx.oncomplete = function () {
            db.close();
            done(out);
          };
          tx.onerror = tx.onabort = function (e) {
            db.close();
            done(null, "read aborted: " + (tx.error ? tx.error.name : e.type));
          };
        } catch (e) {
          db.close();
          done(null, "no stores");
        }
      };
    };
    // Where the browser can say whether the database exists, do not even open it when not.
    if (idb.databases) {
      idb.databases().then(function (list) {
        if (list.some(function (d) {
          return d.name === "linli";
        })) open();
        else done(null, "no database");
      }, open);
    } else open();
  }

  var hint = ls("linli.enrolled");
  var isHome = /^(#\/?)?$/.test(location.hash);
  if (hint) root.innerHTML = shell(hint);
  else enrolPage();
  fromStorage(function (got, why) {
    if (why) problems.push(why);
    // The app may have taken over already.
    if (!document.getElementById("prepaint")) return;
    var session = null;
    try {
      session = got && typeof got.session === "string" ? JSON.parse(got.session) : null;
    } catch (e) {}
    if (!session || !session.role) {
      problems.push(got ? "no session stored" : "storage not read");
      if (hint) enrolPage();
      return;
    }
    var view = { brand: null, main: null };
    try {
      var sums = [];
      (got.keys || []).forEach(function (k, i) {
        try {
          sums.push({ id: String(k), v: JSON.parse(got.values[i]) });
        } catch (e) {}
      });
      var now = Date.now() + (typeof got.skew === "number" ? got.skew : 0);
      var h = home(session, sums, now);
      view.brand = h.brand;
      if (isHome) view.main = h.main;
    } catch (e) {
      problems.push("home: " + (e && e.message ? e.message : String(e)));
    }
    root.innerHTML = shell(session.role, view.brand, view.main);
  });
})();
