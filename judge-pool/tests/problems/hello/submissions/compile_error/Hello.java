public class Hello {
    public static void main(String[] args) {
        int x = "Hello World!";
        System.out.println(x);
    }
}
