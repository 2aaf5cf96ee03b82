//! What the editor starts from: the code last written for this problem in this language
//! (kept in `localStorage`), else the language's template.

/// The `localStorage` key of the code written for `problem` in `language`.
pub fn draft_key(problem: i64, language: &str) -> String {
    format!("codehub.code.{problem}.{language}")
}

/// A new program's starting point in `language` (empty where none is needed).
pub fn template(language: &str) -> &'static str {
    match language {
        "cpp" => "#include <bits/stdc++.h>\nusing namespace std;\n\nint main() {\n    \n}\n",
        "c" => "#include <stdio.h>\n\nint main(void) {\n    \n    return 0;\n}\n",
        "java" => {
            "import java.util.*;\n\npublic class Main {\n    public static void main(String[] args) {\n        \n    }\n}\n"
        }
        "kotlin" => "fun main() {\n    \n}\n",
        "rust" => "use std::io::*;\n\nfn main() {\n    \n}\n",
        "go" => "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println()\n}\n",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_kept_per_problem_and_language_and_templates_compile_shaped() {
        assert_eq!(draft_key(7, "cpp"), "codehub.code.7.cpp");
        assert_ne!(draft_key(7, "cpp"), draft_key(8, "cpp"));
        assert!(template("cpp").contains("int main()"));
        assert!(template("java").contains("public class Main"));
        assert_eq!(
            template("python3"),
            "",
            "nothing to write before Python code"
        );
    }
}
