# control_hello.py -- CONTROL, not an attack: plain correct Python answer.
# Expected: AC.
print("Hello World!")
