// thread_burner.java -- RESOURCE: 8 Java threads spinning forever.  CPU time
// must be accounted across threads.  Note the JVM itself needs ~15-30 native
// threads (GC, JIT, ...) on top of these 8, so pids.max must leave room.
// The class is deliberately not public so the file compiles under any name.
// Expected: TLE.
class thread_burner {
    static volatile long counter;

    public static void main(String[] args) throws InterruptedException {
        Thread[] pool = new Thread[8];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = new Thread(() -> {
                for (;;) {
                    counter++;
                }
            });
            pool[i].start();
        }
        for (Thread t : pool) {
            t.join();
        }
        System.out.println("Hello World!"); // unreachable
    }
}
