import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StreamTokenizer;

// 32-bit accumulator: Java int arithmetic wraps around, so group 2 fails.
public class Int32 {
    public static void main(String[] args) throws Exception {
        StreamTokenizer st = new StreamTokenizer(new BufferedReader(new InputStreamReader(System.in)));
        st.nextToken();
        int n = (int) st.nval;
        int sum = 0;
        for (int i = 0; i < n; i++) {
            st.nextToken();
            sum += (int) st.nval;
        }
        System.out.println(sum);
    }
}
