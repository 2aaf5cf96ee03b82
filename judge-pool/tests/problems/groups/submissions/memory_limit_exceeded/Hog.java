import java.util.ArrayList;
import java.util.List;

// Keeps allocating 4 MiB int arrays (the JVM zeroes them, so they are really
// touched) until the heap (-Xmx = memory limit) or the cgroup runs out.
// With -XX:+ExitOnOutOfMemoryError the JVM then exits with status 3.
public class Hog {
    public static void main(String[] args) {
        List<int[]> keep = new ArrayList<>();
        while (true) {
            int[] block = new int[1 << 20];
            block[keep.size() % block.length] = keep.size();
            keep.add(block);
        }
    }
}
