/* The scoring engine in the browser: the same rules as diagnostics/scoring.py, read from the one rule
 * table the server scores with (GET /api/v1/assessments/rules/, diagnostics.scoring.rule_table).
 *
 *   SJScoring.score(table, answers, scenes)
 *     → {ok: true, score: "43.675", dimensions: {code: "…"}, items: {code: "…"},
 *        scenes_at_or_above: {"1".."4": n}, constraint_scenes_at_or_above: {…}, level: 0–4}
 *     → {ok: false, errors: {code: [message key]}}
 *
 * Answers are in the contract's form (docs/api.md, "Score request and result"). Points are exact:
 * every number is a decimal (BigInt mantissa and a scale), never a float, so the browser's score equals
 * the server's to the last digit (tests/diagnostics/test_offline_scoring.py compares them on 500+ sets).
 */
(function (root) {
  "use strict";

  var TEN = BigInt(10);

  /* --- exact decimals: {m: BigInt, s: scale} = m / 10^s ------------------------------------------ */
  function dec(value) {
    if (value === null || value === undefined) { return null; }
    var text = typeof value === "number" ? String(value) : String(value).trim();
    var match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!match || (match[2] === "" && (match[3] || "") === "")) { return null; }
    var digits = (match[2] || "") + (match[3] || "");
    var scale = (match[3] || "").length - parseInt(match[4] || "0", 10);
    var m = BigInt(digits || "0");
    if (match[1] === "-") { m = -m; }
    if (scale < 0) { m = m * TEN ** BigInt(-scale); scale = 0; }
    return { m: m, s: scale };
  }

  function align(a, b) {
    var s = Math.max(a.s, b.s);
    return [a.m * TEN ** BigInt(s - a.s), b.m * TEN ** BigInt(s - b.s), s];
  }

  function cmp(a, b) {
    var x = align(a, b);
    return x[0] < x[1] ? -1 : (x[0] > x[1] ? 1 : 0);
  }

  function add(a, b) {
    var x = align(a, b);
    return { m: x[0] + x[1], s: x[2] };
  }

  function min(a, b) { return cmp(a, b) <= 0 ? a : b; }

  var ZERO = { m: BigInt(0), s: 0 };

  /** The plain text of a decimal: 43.6750 → "43.675", 20.8000 → "20.8", 0 → "0" (diagnostics.scoring.plain_decimal). */
  function text(d) {
    var negative = d.m < 0, digits = (negative ? -d.m : d.m).toString();
    if (d.s > 0) {
      while (digits.length <= d.s) { digits = "0" + digits; }
      var whole = digits.slice(0, digits.length - d.s), frac = digits.slice(digits.length - d.s).replace(/0+$/, "");
      digits = frac ? whole + "." + frac : whole;
    }
    return (negative && digits !== "0" ? "-" : "") + digits;
  }

  /* --- the rule table, read once -------------------------------------------------------------- */
  var prepared = new WeakMap();

  function prepare(table) {
    var ready = prepared.get(table);
    if (ready) { return ready; }
    var items = {}, scenes = {};
    table.items.forEach(function (item) {
      items[item.code] = {
        code: item.code, kind: item.kind, dimension: item.dimension, max: dec(item.max_points),
        options: item.options.map(function (o) {
          return { number: o.number, code: o.code, points: dec(o.points), upper: dec(o.upper_bound) };
        })
      };
    });
    table.scenes.forEach(function (s) { scenes[s.code] = s; });
    ready = { table: table, items: items, scenes: scenes, rules: table.rules.map(function (r) {
      return { level: r.level, min: dec(r.min_score), scene_level: r.scene_level, min_scenes: r.min_scenes,
               min_constraint: r.min_constraint_scenes };
    }) };
    prepared.set(table, ready);
    return ready;
  }

  function isInt(v) { return typeof v === "number" && Number.isInteger(v); }

  function option(item, number) {
    for (var i = 0; i < item.options.length; i++) { if (item.options[i].number === number) { return item.options[i]; } }
    return null;
  }

  /** The band a percentage falls in: the first whose upper edge is at or above it. */
  function band(item, percentage) {
    for (var i = 0; i < item.options.length; i++) {
      var o = item.options[i];
      if (o.upper === null || cmp(percentage, o.upper) <= 0) { return o; }
    }
    return item.options[item.options.length - 1];
  }

  /** The points ``value`` earns on ``item``, or throws the message key of the problem. */
  function points(item, value) {
    if (item.kind === "multi") {
      if (!Array.isArray(value)) { throw "multi_list"; }
      var seen = {}, total = ZERO;
      value.forEach(function (v) {
        if (!isInt(v)) { throw "multi_whole"; }
        var o = option(item, v);
        if (!o) { throw "multi_unknown"; }
        if (seen[v]) { throw "multi_twice"; }
        seen[v] = true;
        total = add(total, o.points);
      });
      return min(total, item.max);
    }
    if (item.kind === "single") {
      if (!isInt(value)) { throw "single_whole"; }
      var chosen = option(item, value);
      if (!chosen) { throw "single_range"; }
      return chosen.points;
    }
    if (item.kind === "band") {
      if (typeof value !== "number" || !isFinite(value)) { throw "band_number"; }
      var p = dec(value);
      if (cmp(p, ZERO) < 0 || cmp(p, dec(100)) > 0) { throw "band_range"; }
      return band(item, p).points;
    }
    if (item.kind === "outcome") {
      for (var i = 0; i < item.options.length; i++) { if (item.options[i].code === value) { return item.options[i].points; } }
      throw "outcome_word";
    }
    throw "unscorable";
  }

  function score(table, answers, sceneLevels) {
    var spec = prepare(table), errors = {}, itemPoints = {}, levels = {};
    answers = answers || {};
    Object.keys(answers).forEach(function (code) {
      var item = spec.items[code];
      if (!item) { errors[code] = ["unknown_item"]; return; }
      try { itemPoints[code] = points(item, answers[code]); } catch (problem) { errors[code] = [String(problem)]; }
    });
    Object.keys(sceneLevels || {}).forEach(function (code) {
      var level = sceneLevels[code];
      if (!spec.scenes[code]) { errors[code] = ["unknown_scene"]; }
      else if (!isInt(level) || level < 0 || level > 4) { errors[code] = ["scene_level"]; }
      else { levels[code] = level; }
    });
    if (Object.keys(errors).length) { return { ok: false, errors: errors }; }

    var items = {}, dimensions = {}, total = ZERO;
    table.dimensions.forEach(function (d) { dimensions[d] = ZERO; });
    table.items.forEach(function (item) {
      var p = itemPoints[item.code] || ZERO;
      items[item.code] = p;
      dimensions[item.dimension] = add(dimensions[item.dimension], p);
    });
    table.dimensions.forEach(function (d) { total = add(total, dimensions[d]); });

    var atOrAbove = { "1": 0, "2": 0, "3": 0, "4": 0 }, constraintAtOrAbove = { "1": 0, "2": 0, "3": 0, "4": 0 };
    table.scenes.forEach(function (scene) {
      var level = levels[scene.code] || 0;
      for (var k = 1; k <= 4; k++) {
        if (level >= k) {
          atOrAbove[k] += 1;
          if (scene.constraint) { constraintAtOrAbove[k] += 1; }
        }
      }
    });

    var reached = 0;
    for (var i = 0; i < spec.rules.length; i++) {  // highest level first
      var rule = spec.rules[i], k = String(rule.scene_level);
      if (cmp(total, rule.min) >= 0 && atOrAbove[k] >= rule.min_scenes && constraintAtOrAbove[k] >= rule.min_constraint) {
        reached = rule.level;
        break;
      }
    }

    var out = { ok: true, index: table.index, score: text(total), dimensions: {}, items: {},
                scenes_at_or_above: atOrAbove, constraint_scenes_at_or_above: constraintAtOrAbove, level: reached };
    Object.keys(dimensions).forEach(function (d) { out.dimensions[d] = text(dimensions[d]); });
    Object.keys(items).forEach(function (c) { out.items[c] = text(items[c]); });
    return out;
  }

  root.SJScoring = { score: score, decimal: dec, text: text };
})(typeof self !== "undefined" ? self : this);
