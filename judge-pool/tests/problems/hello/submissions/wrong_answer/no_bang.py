# Missing the exclamation mark: "world" != "World!" as tokens.
print("hello world")
