# Never asks: waits for the interactor, which waits for it.
import time
n = int(input())
time.sleep(30)
