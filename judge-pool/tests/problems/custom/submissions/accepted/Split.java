import java.util.Scanner;

public class Split {
    public static void main(String[] args) {
        int n = new Scanner(System.in).nextInt();
        int a, b;
        if (n % 2 == 1) {
            a = n / 2;
            b = n / 2 + 1;
        } else {
            a = n / 2 - 1;
            b = n / 2 + 1;
        }
        System.out.println(a + " " + b);
    }
}
