import java.io.BufferedReader;
import java.io.InputStreamReader;

public class Guess {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        long lo = 1, hi = 1000000000L;
        while (lo <= hi) {
            long mid = (lo + hi) / 2;
            System.out.println("? " + mid);
            System.out.flush();
            String r = in.readLine();
            if (r == null) return;
            r = r.trim();
            if (r.equals("=")) return;
            if (r.equals("<")) hi = mid - 1;
            else lo = mid + 1;
        }
    }
}
