//! Validation of Contest API JSON against the ICPC CCS 2026-01 JSON schemas.
//!
//! The schema files in `gateway/tests/ccs-schemas/` are verbatim upstream copies. Its README lists 16
//! errata, places where the 2026-01 text and the files disagree and the text wins; they are
//! applied here as edits of the parsed schemas, one function per erratum (see `ERRATA`).
//! Then every object the upstream files mark with `STRICT_ANCHOR` gets
//! `"additionalProperties": false`, as the upstream `check-api.sh` does without `-p`, so an
//! unknown property is a violation. Each schema is compiled once (draft 2020-12, no network:
//! the files resolve each other's `common.json#/...` references from an in-memory registry).

use std::collections::HashMap;
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::{Map, Value, json};

/// The directory holding the 37 schema files and their README.
const SCHEMA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ccs-schemas");

/// Every schema's `$id` is this prefix followed by its file name.
const ID_BASE: &str = "https://github.com/icpc/ccs-specs/raw/master/json-schema/";

/// The `$comment` marking the objects that a strict check closes.
const STRICT_ANCHOR: &str = "ANCHOR_TO_INSERT_REQUIRE_STRICT_PROPERTIES";

/// Keywords whose subschemas apply to the same instance as the schema holding them.
const IN_PLACE_APPLICATORS: [&str; 7] = ["allOf", "anyOf", "oneOf", "not", "if", "then", "else"];

/// A failed `anyOf`/`oneOf` with more branches than this is reported without its branches.
const MAX_EXPLAINED_BRANCHES: usize = 4;

/// How many levels of nested failed `anyOf`/`oneOf` branches are explained.
const MAX_EXPLAINED_DEPTH: usize = 2;

/// A message is cut after this many characters (messages quote the offending value).
const MAX_MESSAGE_CHARS: usize = 300;

/// The schema files by file name (`"team.json"`), as parsed JSON.
type Schemas = HashMap<String, Value>;

/// Validates `value` against schema `file` (e.g. "teams.json", "state.json", "event-feed.json");
/// Err lists every violation with its JSON pointer.
///
/// The schemas are the README's corrected and strict ones: an unknown property is a violation.
///
/// # Panics
///
/// If `file` names no schema file, or if the schema files cannot be loaded or compiled.
pub fn check(file: &str, value: &Value) -> Result<(), String> {
    let validators = validators();
    let validator = validators.get(file).unwrap_or_else(|| {
        let mut known: Vec<&str> = validators.keys().map(String::as_str).collect();
        known.sort_unstable();
        panic!("no CCS schema named {file:?} in {SCHEMA_DIR}; known: {known:?}")
    });
    let errors: Vec<ValidationError<'_>> = validator.iter_errors(value).collect();
    if errors.is_empty() {
        return Ok(());
    }
    let mut lines = Vec::new();
    for error in &errors {
        explain(error, 0, &mut lines);
    }
    Err(format!(
        "{file}: {} violation(s)\n{}",
        errors.len(),
        lines.join("\n")
    ))
}

/// One line per error (instance pointer, message, schema location), followed by the errors of
/// each branch when a small `anyOf`/`oneOf` failed, since its own message says nothing.
fn explain(error: &ValidationError<'_>, depth: usize, lines: &mut Vec<String>) {
    let indent = "  ".repeat(2 * depth + 1);
    let pointer = error.instance_path().to_string();
    let pointer = if pointer.is_empty() {
        "(root)"
    } else {
        pointer.as_str()
    };
    lines.push(format!(
        "{indent}{pointer}: {} [schema {}]",
        clip(&error.to_string()),
        error.evaluation_path()
    ));
    let branches = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            context
        }
        _ => return,
    };
    if depth >= MAX_EXPLAINED_DEPTH || branches.len() > MAX_EXPLAINED_BRANCHES {
        return;
    }
    for (index, branch) in branches.iter().enumerate() {
        lines.push(format!("{indent}  branch {index} fails with:"));
        for inner in branch {
            explain(inner, depth + 1, lines);
        }
    }
}

/// `message`, cut after `MAX_MESSAGE_CHARS` characters.
fn clip(message: &str) -> String {
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message.to_owned(),
    }
}

/// The compiled validators by file name, built on first use.
fn validators() -> &'static HashMap<String, Validator> {
    static VALIDATORS: OnceLock<HashMap<String, Validator>> = OnceLock::new();
    VALIDATORS.get_or_init(compile_validators)
}

/// Loads the files, applies the errata and strictness, and compiles one validator per file.
fn compile_validators() -> HashMap<String, Validator> {
    let mut schemas = load_schemas();
    for erratum in ERRATA {
        erratum(&mut schemas);
    }
    event_data_by_type(&mut schemas);
    // After the errata, so that the properties they add are declared ones.
    schemas.values_mut().for_each(make_strict);

    let mut builder = jsonschema::Registry::new().draft(Draft::Draft202012);
    for (file, schema) in &schemas {
        builder = builder
            .add(schema_id(file), schema)
            .unwrap_or_else(|e| panic!("cannot register CCS schema {file}: {e}"));
    }
    let registry = builder
        .prepare()
        .unwrap_or_else(|e| panic!("cannot resolve the CCS schemas: {e}"));
    schemas
        .keys()
        .map(|file| {
            let validator = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .with_registry(&registry)
                .offline()
                .build(&json!({ "$ref": schema_id(file) }))
                .unwrap_or_else(|e| panic!("cannot compile CCS schema {file}: {e}"));
            (file.clone(), validator)
        })
        .collect()
}

/// The `$id` of schema file `file`.
fn schema_id(file: &str) -> String {
    format!("{ID_BASE}{file}")
}

/// Parses every `*.json` in `SCHEMA_DIR`, checking that its `$id` matches its file name.
fn load_schemas() -> Schemas {
    let entries = std::fs::read_dir(SCHEMA_DIR)
        .unwrap_or_else(|e| panic!("cannot list the CCS schemas in {SCHEMA_DIR}: {e}"));
    let mut schemas = Schemas::new();
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list the CCS schemas in {SCHEMA_DIR}: {e}"))
            .path();
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        let file = path
            .file_name()
            .and_then(|name| name.to_str())
            .expect("CCS schema file names are UTF-8")
            .to_owned();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        // `common.json` repeats the key `$comment` at its top level; the last one wins, which
        // is harmless (neither is the strictness anchor).
        let schema: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        assert_eq!(
            schema.get("$id").and_then(Value::as_str),
            Some(schema_id(&file).as_str()),
            "unexpected $id in {}",
            path.display()
        );
        schemas.insert(file, schema);
    }
    assert!(!schemas.is_empty(), "no CCS schemas in {SCHEMA_DIR}");
    schemas
}

/// The node at JSON pointer `pointer` of schema file `file`; panics, naming both, if absent
/// (an upstream change that an erratum must be reviewed against).
fn node<'a>(schemas: &'a mut Schemas, file: &str, pointer: &str) -> &'a mut Value {
    schemas
        .get_mut(file)
        .unwrap_or_else(|| panic!("CCS schema {file} is missing from {SCHEMA_DIR}"))
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("CCS schema {file} has nothing at {pointer}"))
}

/// Removes `key` from the object `schema`, which must have it.
fn remove(schema: &mut Value, key: &str) -> Value {
    schema
        .as_object_mut()
        .and_then(|object| object.remove(key))
        .unwrap_or_else(|| panic!("CCS schema object has no {key:?} to remove"))
}

/// A nullable string property (`string ?`).
fn nullable_string() -> Value {
    json!({ "type": ["string", "null"] })
}

/// A property of type `ID ?`.
fn nullable_id() -> Value {
    json!({ "$ref": "common.json#/identifierornull" })
}

/// The README's errata, in its order.
const ERRATA: [fn(&mut Schemas); 16] = [
    erratum_01_identifier_anchored,
    erratum_02_any_judgement_type_id,
    erratum_03_fileref,
    erratum_04_command,
    erratum_05_api_information_provider,
    erratum_06_contest_main_scoreboard_group,
    erratum_07_simplified_judgement_type,
    erratum_08_problem,
    erratum_09_team_location_person_team_ids,
    erratum_10_account,
    erratum_11_state,
    erratum_12_submission,
    erratum_13_clarification_recipients,
    erratum_14_language_entry_point_name,
    erratum_15_scoreboard_times,
    erratum_16_event_feed,
];

/// Erratum 1: an ID is at most 36 characters of `[a-zA-Z0-9_.-]`, not starting with `-` or `.`
/// and not ending with `.`. The upstream pattern lacks the final `$`, so it only checks a prefix.
fn erratum_01_identifier_anchored(schemas: &mut Schemas) {
    let pattern = node(schemas, "common.json", "/identifier/pattern");
    let anchored = format!(
        "{}$",
        pattern
            .as_str()
            .expect("the identifier pattern is a string")
            .trim_end_matches('$')
    );
    *pattern = Value::String(anchored);
}

/// Erratum 2: any ID may be a judgement type ID; the known ones "should be used", so another
/// deserves a warning, not a failure. (This also covers run and judgement `judgement_type_id`.)
fn erratum_02_any_judgement_type_id(schemas: &mut Schemas) {
    *node(schemas, "common.json", "/judgementtypeid") = json!({ "$ref": "#/identifier" });
}

/// Erratum 3: `hash`, `width` and `height` of a FILE are nullable and `tag` (array of string)
/// exists. An image still needs an integer `width` and `height`: the text requires them "for
/// files with mime type image/*", so that holds for every FILE with such a mime, `imageref`
/// (which refers to `fileref`) included.
fn erratum_03_fileref(schemas: &mut Schemas) {
    let fileref = node(schemas, "common.json", "/fileref");
    let properties = &mut fileref["properties"];
    properties["hash"] = nullable_string();
    properties["width"] = json!({ "type": ["integer", "null"], "minimum": 1 });
    properties["height"] = json!({ "type": ["integer", "null"], "minimum": 1 });
    properties["tag"] = json!({ "type": "array", "items": { "type": "string" } });
    fileref["if"] = json!({
        "properties": { "mime": { "pattern": "^image/" } },
        "required": ["mime"]
    });
    fileref["then"] = json!({
        "properties": { "width": { "type": "integer" }, "height": { "type": "integer" } },
        "required": ["width", "height"]
    });
}

/// Erratum 4: the command properties `args`, `version` and `version_command` are `string ?`.
fn erratum_04_command(schemas: &mut Schemas) {
    let properties = node(schemas, "common.json", "/command/properties");
    for name in ["args", "version", "version_command"] {
        properties[name] = nullable_string();
    }
}

/// Erratum 5: the API information's `provider` and `provider.version` are nullable.
fn erratum_05_api_information_provider(schemas: &mut Schemas) {
    let provider = node(schemas, "api_information.json", "/properties/provider");
    provider["type"] = json!(["object", "null"]);
    provider["properties"]["version"] = nullable_string();
}

/// Erratum 6: a contest has `main_scoreboard_group_id` (`ID ?`).
fn erratum_06_contest_main_scoreboard_group(schemas: &mut Schemas) {
    node(schemas, "contest.json", "/properties")["main_scoreboard_group_id"] = nullable_id();
}

/// Erratum 7: judgement types and judgements have `simplified_judgement_type_id` (`ID ?`).
fn erratum_07_simplified_judgement_type(schemas: &mut Schemas) {
    for file in ["judgement-type.json", "judgement.json"] {
        node(schemas, file, "/properties")["simplified_judgement_type_id"] =
            json!({ "$ref": "common.json#/judgementtypeidornull" });
    }
}

/// Erratum 8: a problem's `rgb` and `color` are `string ?`, and `attachments`
/// (`array of FILE ?`) exists.
fn erratum_08_problem(schemas: &mut Schemas) {
    let properties = node(schemas, "problem.json", "/properties");
    // The `pattern` stays; it only applies to strings.
    properties["rgb"]["type"] = json!(["string", "null"]);
    properties["color"] = nullable_string();
    properties["attachments"] = json!({ "$ref": "common.json#/filerefsornull" });
}

/// Erratum 9: a team's `location` is nullable, and so is a person's `team_ids`. (A contestant
/// or coach still needs a non-empty array, by `person.json`'s own `if`/`then`.)
fn erratum_09_team_location_person_team_ids(schemas: &mut Schemas) {
    // `properties`/`required` of the location object only apply when it is an object.
    node(schemas, "team.json", "/properties/location")["type"] = json!(["object", "null"]);
    node(schemas, "person.json", "/properties")["team_ids"] =
        json!({ "$ref": "common.json#/identifiersornull" });
}

/// Erratum 10: an account's `name` is nullable and its `type` may be any string. The text's
/// type is `string`, not `string ?`, so null (which the upstream file accepts) is rejected.
fn erratum_10_account(schemas: &mut Schemas) {
    let properties = node(schemas, "account.json", "/properties");
    properties["name"] = nullable_string();
    properties["type"] = json!({ "type": "string" });
}

/// Erratum 11: no state property is required; each is `TIME ?` and a null may be left out.
fn erratum_11_state(schemas: &mut Schemas) {
    remove(node(schemas, "state.json", ""), "required");
}

/// Erratum 12: a submission's `team_id` is `ID ?` and `account_id` (`ID ?`) exists. A C or C++
/// submission may leave `entry_point` out: upstream, that branch's inner `oneOf` (absent | null)
/// matches twice when the key is absent. It becomes one constraint, "absent or null".
fn erratum_12_submission(schemas: &mut Schemas) {
    let properties = node(schemas, "submission.json", "/properties");
    properties["team_id"] = nullable_id();
    properties["account_id"] = nullable_id();

    let branches = node(schemas, "submission.json", "/oneOf")
        .as_array_mut()
        .expect("submission.json's oneOf is an array");
    let c_cpp = branches
        .iter_mut()
        .find(|branch| branch.pointer("/properties/language_id/enum") == Some(&json!(["c", "cpp"])))
        .expect("submission.json's oneOf has a branch for c and cpp");
    remove(c_cpp, "oneOf");
    c_cpp["properties"]["entry_point"] = json!({ "type": "null" });
}

/// Erratum 13: `to_team_id` is replaced by `to_team_ids` and `to_group_ids` (`array of ID ?`),
/// which must both be null (or absent) when `from_team_id` is set; this replaces the upstream
/// `not` that forbade `from_team_id` and `to_team_id` together.
fn erratum_13_clarification_recipients(schemas: &mut Schemas) {
    let clarification = node(schemas, "clarification.json", "");
    let properties = &mut clarification["properties"];
    remove(properties, "to_team_id");
    properties["to_team_ids"] = json!({ "$ref": "common.json#/identifiersornull" });
    properties["to_group_ids"] = json!({ "$ref": "common.json#/identifiersornull" });
    remove(clarification, "not");
    clarification["if"] = json!({
        "properties": { "from_team_id": { "type": "string" } },
        "required": ["from_team_id"]
    });
    clarification["then"] = json!({
        "properties": { "to_team_ids": { "type": "null" }, "to_group_ids": { "type": "null" } }
    });
}

/// Erratum 14: when no entry point is required, `entry_point_name` may be null, not only
/// absent.
fn erratum_14_language_entry_point_name(schemas: &mut Schemas) {
    node(schemas, "language.json", "")["else"] =
        json!({ "properties": { "entry_point_name": { "type": "null" } } });
}

/// Erratum 15: `score.time` is null or absent iff `num_solved` is 0 (upstream used a
/// non-keyword `"time"` inside `then`/`else`, so it checked nothing about the value and demanded
/// the key for 0 solved). A score-type row has no `num_solved`; its `time` stays `RELTIME ?`.
/// A problem's `time` may be null, and is null or absent when unsolved.
fn erratum_15_scoreboard_times(schemas: &mut Schemas) {
    let score = node(
        schemas,
        "scoreboard.json",
        "/properties/rows/items/properties/score",
    );
    score["if"] =
        json!({ "properties": { "num_solved": { "const": 0 } }, "required": ["num_solved"] });
    score["then"] = json!({ "properties": { "time": { "type": "null" } } });
    score["else"] = json!({
        "if": { "required": ["num_solved"] },
        "then": { "required": ["time"], "properties": { "time": { "type": "string" } } }
    });

    let problem = node(
        schemas,
        "scoreboard.json",
        "/properties/rows/items/properties/problems/items",
    );
    problem["properties"]["time"] = json!({ "$ref": "common.json#/posreltimeornull" });
    // Upstream `if`: not solved, or a score of 0.
    problem["then"] = json!({ "properties": { "time": { "type": "null" } } });
    problem["else"] =
        json!({ "required": ["time"], "properties": { "time": { "type": "string" } } });
}

/// Erratum 16: an event's `id` may be left out (the spec's own `contest` event has none), and
/// any null may be left out; `data` (`array or object ?`) is nullable, so only `type` is
/// required.
fn erratum_16_event_feed(schemas: &mut Schemas) {
    node(schemas, "event-feed.json", "")["required"] = json!(["type"]);
}

/// Not an erratum, a tightening: upstream checks an event's `data` against any of 30 object and
/// collection schemas, whatever its `type`, which also makes a failure unreadable ("not valid
/// under any of the schemas listed in the 'anyOf' keyword"). The text says `data` is what the
/// endpoint of that type returns, so an object or array `data` is also checked against the
/// schema of its type, which reports the precise violations.
fn event_data_by_type(schemas: &mut Schemas) {
    const BY_TYPE: [(&str, &str, Option<&str>); 16] = [
        ("contest", "contest.json", None),
        (
            "judgement-types",
            "judgement-type.json",
            Some("judgement-types.json"),
        ),
        ("languages", "language.json", Some("languages.json")),
        ("problems", "problem.json", Some("problems.json")),
        ("groups", "group.json", Some("groups.json")),
        (
            "organizations",
            "organization.json",
            Some("organizations.json"),
        ),
        ("teams", "team.json", Some("teams.json")),
        ("persons", "person.json", Some("persons.json")),
        ("accounts", "account.json", Some("accounts.json")),
        ("state", "state.json", None),
        ("submissions", "submission.json", Some("submissions.json")),
        ("judgements", "judgement.json", Some("judgements.json")),
        ("runs", "run.json", Some("runs.json")),
        (
            "clarifications",
            "clarification.json",
            Some("clarifications.json"),
        ),
        ("awards", "award.json", Some("awards.json")),
        ("commentary", "commentary.json", Some("commentaries.json")),
    ];
    let rule = |event_type: &str, shape: &str, file: &str| {
        json!({
            "if": {
                "properties": { "type": { "const": event_type }, "data": { "type": shape } },
                "required": ["type", "data"]
            },
            "then": { "properties": { "data": { "$ref": format!("{file}#") } } }
        })
    };
    let mut rules = Vec::new();
    for (event_type, object_file, array_file) in BY_TYPE {
        rules.push(rule(event_type, "object", object_file));
        if let Some(array_file) = array_file {
            rules.push(rule(event_type, "array", array_file));
        }
    }
    node(schemas, "event-feed.json", "")["allOf"] = Value::Array(rules);
}

/// Adds `"additionalProperties": false` to every object carrying `STRICT_ANCHOR`.
///
/// `additionalProperties` only sees the `properties` next to it, not those of `allOf`/`oneOf`/
/// `if` subschemas; `unevaluatedProperties` would be needed if a subschema allowed a property
/// that the object itself does not declare. None does (checked here, with a panic otherwise),
/// so the README's `additionalProperties` is exact.
fn make_strict(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            if object.get("$comment").and_then(Value::as_str) == Some(STRICT_ANCHOR) {
                let undeclared = undeclared_properties(object);
                assert!(
                    undeclared.is_empty(),
                    "a strict CCS schema object would reject {undeclared:?}, which its \
                     subschemas mention; it needs unevaluatedProperties"
                );
                object.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            object.values_mut().for_each(make_strict);
        }
        Value::Array(items) => items.iter_mut().for_each(make_strict),
        _ => {}
    }
}

/// The property names that `object` or its in-place subschemas mention (in `properties` or
/// `required`) but `object`'s own `properties` does not declare.
fn undeclared_properties(object: &Map<String, Value>) -> Vec<String> {
    let declared = object.get("properties").and_then(Value::as_object);
    let mut mentioned = Vec::new();
    mentioned_properties(object, &mut mentioned);
    mentioned
        .into_iter()
        .filter(|name| !declared.is_some_and(|declared| declared.contains_key(*name)))
        .map(str::to_owned)
        .collect()
}

/// Collects the names in `properties` and `required` of `object` and, recursively, of its
/// in-place subschemas (not through `$ref`: no anchored object combines with a referenced one).
fn mentioned_properties<'a>(object: &'a Map<String, Value>, names: &mut Vec<&'a str>) {
    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        names.extend(properties.keys().map(String::as_str));
    }
    if let Some(required) = object.get("required").and_then(Value::as_array) {
        names.extend(required.iter().filter_map(Value::as_str));
    }
    for keyword in IN_PLACE_APPLICATORS {
        let subschemas: &[Value] = match object.get(keyword) {
            Some(Value::Array(branches)) => branches,
            Some(single) => std::slice::from_ref(single),
            None => &[],
        };
        for subschema in subschemas.iter().filter_map(Value::as_object) {
            mentioned_properties(subschema, names);
        }
    }
}

/// The spec's examples (`/tmp/capi.md`, Contest API 2026-01) pass, with the errata.
#[test]
fn ccs_schemas_accept_spec_examples() {
    let examples = [
        (
            "teams.json",
            json!([
                {"id":"team11","icpc_id":"201433","label":"11","name":"Shanghai Tigers","organization_id":"inst123","group_ids":["asia-74324325532"]},
                {"id":"team123","label":"123","name":"CMU1","organization_id":"inst105","group_ids":["8","11"]}
            ]),
        ),
        // Nulls left out (erratum 11).
        (
            "state.json",
            json!({"started": "2014-06-25T10:00:00+01", "frozen": "2014-06-25T14:00:00+01"}),
        ),
        // C++ without `entry_point` (erratum 12).
        (
            "submission.json",
            json!({"id":"187","team_id":"123","problem_id":"10-asteroids","language_id":"cpp",
                   "time":"2014-06-25T11:22:05.034+01","contest_time":"1:22:05.034",
                   "files":[{"href":"contests/wf14/submissions/187/files","filename":"files.zip","mime":"application/zip"}]}),
        ),
        // `to_team_ids` and `to_group_ids` (erratum 13).
        (
            "clarifications.json",
            json!([
                {"id":"1","from_team_id":"34","text":"May I ask a question?","time":"2017-06-25T11:59:27.543+01","contest_time":"1:59:27.543"},
                {"id":"2","to_team_ids":["34","57","69"],"to_group_ids":["1336"],"reply_to_id":"1","text":"Yes you may!","time":"2017-06-25T11:59:47.543+01","contest_time":"1:59:47.543"}
            ]),
        ),
        // `simplified_judgement_type_id` (erratum 7).
        (
            "judgement-type.json",
            json!({"id":"TLE","name":"Time Limit Exceeded","penalty":true,"solved":false,"simplified_judgement_type_id":"RE"}),
        ),
        // `attachments` (erratum 8).
        (
            "problem.json",
            json!({"id":"asteroids","label":"A","name":"Asteroid Rangers","ordinal":1,"color":"blue","rgb":"#00f","time_limit":2,"memory_limit":2048,"output_limit":8,"code_limit":128,"test_data_count":10,
                   "statement":[{"href":"contests/wf14/problems/asteroids/statement","mime":"application/pdf","filename":"A.pdf"}],
                   "attachments":[{"href":"contests/wf14/problems/asteroids/attachments/testing_tool.py","mime":"text/x-python","filename":"testing_tool.py"}]}),
        ),
        (
            "scoreboard.json",
            json!({"time":"2014-06-25T14:13:07.832+01","contest_time":"4:13:07.832",
                   "state":{"started":"2014-06-25T10:00:00+01","ended":null,"frozen":"2014-06-25T14:00:00+01","thawed":null,"finalized":null,"end_of_updates":null},
                   "rows":[{"rank":1,"team_id":"123","score":{"num_solved":3,"total_time":"5:40:00","time":"3:25:00"},"problems":[
                       {"problem_id":"1","num_judged":3,"num_pending":1,"solved":false},
                       {"problem_id":"2","num_judged":1,"num_pending":0,"solved":true,"time":"0:20:00"}]}]}),
        ),
        // No `id` (erratum 16); the spec's event also lacks the required `scoreboard_type` and
        // `penalty_time`, added here.
        (
            "event-feed.json",
            json!({"type":"contest","data":{"id":"dress2016","name":"2016 ICPC World Finals Dress Rehearsal","start_time":null,
                   "countdown_pause_time":"0:03:38.749","duration":"2:30:00","scoreboard_type":"pass-fail","penalty_time":"0:20:00"}}),
        ),
        (
            "event-feed.json",
            json!({"type":"teams","id":"11","data":null}),
        ),
    ];
    for (file, example) in examples {
        if let Err(violations) = check(file, &example) {
            panic!("spec example rejected:\n{violations}");
        }
    }
}

/// Real violations are reported, with the JSON pointer of the offending value.
#[test]
fn ccs_schemas_reject_violations() {
    let team = json!({"id":"team11","label":"11","name":"Shanghai Tigers"});
    let with = |key: &str, value: Value| {
        let mut team = team.clone();
        team[key] = value;
        team
    };
    let violations = [
        ("team.json", with("id", json!("-bad")), "/id"),
        ("team.json", with("id", json!("a".repeat(40))), "/id"),
        ("team.json", with("colour", json!("red")), "colour"),
        (
            "state.json",
            json!({"started": "2014-06-25 10:00"}),
            "/started",
        ),
        (
            "scoreboard.json",
            json!({"time":"2014-06-25T14:13:07.832+01","contest_time":"4:13:07.832","state":{},
                   "rows":[{"rank":1,"team_id":"123","score":{"num_solved":0,"total_time":"0:00:00","time":"0:10:00"}}]}),
            "/rows/0/score/time",
        ),
        (
            "event-feed.json",
            json!({"type":"teams","id":"team11","data":with("id", json!("bad."))}),
            "/data/id",
        ),
    ];
    for (file, value, expected) in violations {
        match check(file, &value) {
            Ok(()) => panic!("{file} accepted {value}"),
            Err(report) => assert!(report.contains(expected), "{expected} not in:\n{report}"),
        }
    }
    assert!(check("team.json", &team).is_ok());
}
