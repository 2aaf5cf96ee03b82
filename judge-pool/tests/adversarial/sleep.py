# sleep.py -- RESOURCE: sleeps 100 s using no CPU (Python).
# The sandbox must enforce a WALL-clock limit; if it does not, this prints the
# correct answer after 100 s.  Expected: TLE.
import time

time.sleep(100)
print("Hello World!")
