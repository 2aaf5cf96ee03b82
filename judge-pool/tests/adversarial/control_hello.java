// control_hello.java -- CONTROL, not an attack: plain correct Java answer.
// The class is deliberately NOT public, so the file compiles whatever name the
// judge stores it under (control_hello.java, Main.java, ...); javac emits
// control_hello.class.  Expected: AC.
class control_hello {
    public static void main(String[] args) {
        System.out.println("Hello World!");
    }
}
