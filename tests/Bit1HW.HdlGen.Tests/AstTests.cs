using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Tests;

public class AstTests
{
    [Fact]
    public void A_zero_width_type_is_rejected_naming_the_width()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => VType.S(0));
        Assert.Contains("0", e.Message);
    }

    [Fact]
    public void A_constant_that_does_not_fit_its_type_names_the_value()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => C(256, VType.S(9)));
        Assert.Contains("256", e.Message);
        Assert.Contains("-256..255", e.Message);
    }

    [Fact]
    public void An_adder_narrower_than_its_operand_is_rejected()
    {
        var a = new Ref("a", VType.S(9));
        Assert.Throws<ArgumentException>(() => Add(a, a, VType.S(8)));
    }

    [Fact]
    public void A_slice_outside_its_operand_is_rejected_naming_the_range()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Bits(new Ref("a", VType.U(8)), 6, 4));
        Assert.Contains("[6 +: 4]", e.Message);
    }

    [Fact]
    public void Signed_minus_one_plus_unsigned_one_gets_explicit_sign_and_zero_extension()
    {
        // Verilog would evaluate this mix as unsigned; the pass must extend each side by its own sign.
        var m = new ModuleBuilder("mix");
        Ref a = m.Input("a", VType.S(8));
        Ref b = m.Input("b", VType.U(1));
        Ref y = m.Output("y", VType.S(9));
        m.Drive(y, Add(a, b, VType.S(9)));
        string text = m.Emit();
        Assert.Contains("assign a_sext9 = {{1{a[7]}}, a};", text);
        Assert.Contains("assign b_zext9 = {8'd0, b};", text);
        Assert.Contains("assign y = a_sext9 + b_zext9;", text);
    }

    [Fact]
    public void Negative_constants_print_sized_as_twos_complement()
    {
        Assert.Equal("9'sh1ff", Printer.ConstText(C(-1, VType.S(9))));
        Assert.Equal("9'sd0", Printer.ConstText(C(0, VType.S(9))));
        Assert.Equal("4'd15", Printer.ConstText(C(15, VType.U(4))));
    }

    [Fact]
    public void Wide_constants_print_in_hex_grouped_by_four_digits()
    {
        Assert.Equal("32'h3000_0001", Printer.ConstText(C(0x3000_0001, VType.U(32))));
        Assert.Equal("20'sh8_0000", Printer.ConstText(C(-(1 << 19), VType.S(20))));
        Assert.Equal("16'h1234", Printer.ConstText(C(0x1234, VType.U(16))));
        Assert.Equal("28'd2", Printer.ConstText(C(2, VType.U(28))));
        Assert.Equal("12'd4095", Printer.ConstText(C(4095, VType.U(12))));
    }

    [Fact]
    public void A_mux_with_two_identical_arms_is_rejected()
    {
        var s = new Ref("s", VType.Bit);
        var a = new Ref("a", VType.U(4));
        Assert.Throws<ArgumentException>(() => Mux(s, a, a));
        Assert.Throws<ArgumentException>(() => Mux(s, C(3, VType.U(4)), C(3, VType.U(4))));
        Assert.NotNull(Mux(s, C(3, VType.U(4)), C(2, VType.U(4))));
    }

    [Fact]
    public void Flattening_names_temporaries_after_what_they_compute_and_computes_each_once()
    {
        var m = new ModuleBuilder("names");
        Ref wp = m.Input("wp", VType.U(4));
        Ref busy = m.Input("busy", VType.Bit);
        Ref s = m.Input("s", VType.Bit);
        Ref y = m.Output("y", VType.U(4));
        Ref z = m.Output("z", VType.U(4));
        var t = VType.U(4);
        m.Drive(y, Mux(Not(busy), Add(wp, C(1, t), t), Bits(Cat(wp, wp), 2, 4)));
        m.Drive(z, Mux(s, Add(wp, C(1, t), t), Mux(busy, wp, Mux(s, C(1, t), C(2, t)))));
        string text = m.Emit();
        Assert.Contains("assign not_busy = ~busy;", text);
        Assert.Contains("assign wp_plus_1 = wp + 4'd1;", text);
        Assert.Single(text.Split('\n'), l => l.Contains("= wp + 4'd1;", StringComparison.Ordinal));
        Assert.Contains("assign z_t = busy ? wp : z_t_2;", text);   // suffixes count up, never chain
        Assert.DoesNotContain("_t_t", text);
    }

    [Fact]
    public void Localparams_name_opcodes_and_declaration_ranges()
    {
        var m = new ModuleBuilder("params");
        Ref op = m.Input("op", VType.U(4));
        Ref y = m.Output("y", VType.Bit);
        WidthParam w = m.WidthParam("ACC_BITS", 20);
        Ref mac = m.ValueParam("OP_MAC", C(3, VType.U(4)));
        Ref acc = m.Wire("acc", Ext(op, VType.U(20)), w);
        m.Drive(y, And(Eq(op, mac), Bits(acc, 19, 1)));
        string text = m.Emit();
        Assert.Contains("localparam integer ACC_BITS = 20;", text);
        Assert.Contains("localparam [3:0] OP_MAC = 4'd3;", text);
        Assert.Contains("wire [ACC_BITS-1:0] acc;", text);
        Assert.Contains("= op == OP_MAC;", text);
        Assert.Throws<ArgumentException>(() => m.Wire("narrow", Ext(op, VType.U(19)), w));
    }

    [Fact]
    public void A_memory_without_read_during_write_behaviour_carries_no_rw_check()
    {
        var m = new ModuleBuilder("ram");
        m.Input("clk", VType.Bit);
        m.Memory("mem", 8, 16, noReadWriteCheck: true);
        m.Memory("kept", 8, 16);
        string text = m.Emit();
        Assert.Contains("(* no_rw_check *) reg [7:0] mem [0:15];", text);
        Assert.Contains("    reg [7:0] kept [0:15];", text);
    }

    [Fact]
    public void A_wire_named_like_a_keyword_is_renamed_everywhere()
    {
        var m = new ModuleBuilder("kw");
        Ref a = m.Input("a", VType.U(4));
        Ref y = m.Output("y", VType.U(4));
        Ref reg = m.Wire("reg", Not(a));
        m.Drive(y, reg);
        string text = m.Emit();
        Assert.Contains("wire [3:0] reg_v;", text);
        Assert.Contains("assign reg_v = ~a;", text);
        Assert.Contains("assign y = reg_v;", text);
        Assert.DoesNotContain(" reg;", text);
    }

    [Fact]
    public void Every_assign_after_prepare_has_at_most_one_operator()
    {
        var m = new ModuleBuilder("deep");
        Ref a = m.Input("a", VType.S(4));
        Ref y = m.Output("y", VType.S(6));
        m.Drive(y, Add(Add(a, a, VType.S(5)), Sub(a, a, VType.S(5)), VType.S(6)));
        foreach (string line in m.Emit().Split('\n').Where(l => l.TrimStart().StartsWith("assign", StringComparison.Ordinal)))
            Assert.True(line.Count(ch => ch is '+' or '-') <= 1, line);
    }

    [Fact]
    public void The_printer_refuses_an_unprepared_tree()
    {
        var m = new ModuleBuilder("raw");
        Ref a = m.Input("a", VType.U(4));
        Ref y = m.Output("y", VType.U(4));
        m.Drive(y, Add(Not(a), a, VType.U(4)));
        Assert.Throws<InvalidOperationException>(() => Printer.Print(m.Build()));
    }

    [Fact]
    public void The_ternary_datapath_has_no_multiplier_and_the_mac_one_does()
    {
        var t = RtlGenerator.Generate(Configs.Small(7, 2));
        var mac = RtlGenerator.Generate(Configs.Small(7, 2, pe: Core.Hardware.PeKind.Mac));
        Assert.DoesNotContain(t.Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal)), f => f.Text.Contains(" * ", StringComparison.Ordinal));
        Assert.Equal(7, mac.Single(f => f.RelativePath.StartsWith("bit1hw_pe_", StringComparison.Ordinal)).Text.Split(" * ").Length - 1);
    }
}
