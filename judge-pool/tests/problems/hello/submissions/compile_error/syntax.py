# Compile error: a syntax error is caught by the byte-compilation step.
print("Hello World!"
