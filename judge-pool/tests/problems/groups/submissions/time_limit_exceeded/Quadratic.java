import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StreamTokenizer;

// O(n^2): recomputes every prefix sum. The volatile field keeps the JIT from
// vectorising or removing the inner loop; n = 2*10^5 takes far over 1 s.
public class Quadratic {
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        StreamTokenizer st = new StreamTokenizer(new BufferedReader(new InputStreamReader(System.in)));
        st.nextToken();
        int n = (int) st.nval;
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            st.nextToken();
            a[i] = (long) st.nval;
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            sink = 0;
            for (int j = 0; j <= i; j++) sink += a[j];
            total = sink;
        }
        System.out.println(total);
    }
}
