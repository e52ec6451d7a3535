// The function's logic, apart from the SDK so that it is easy to test.
public static class Greeting {
    /// "Hello, <name>, from C#!\n"; a null or empty name greets the world.
    public static string For(string name) {
        if (string.IsNullOrEmpty(name)) name = "world";
        return "Hello, " + name + ", from C#!\n";
    }
}
