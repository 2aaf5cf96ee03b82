print("Hello World!")
raise RuntimeError("crash after printing the right answer")
