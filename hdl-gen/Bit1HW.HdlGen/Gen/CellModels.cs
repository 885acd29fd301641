namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// Behavioural models of the iCE40 cells the ice40-up5k variant instantiates (SB_SPRAM256KA, and
/// SB_MAC16 for mac16 accumulators), for Verilator and Icarus. They are written to
/// <c>sim-models/</c> beside the engine and are never given to synthesis: yosys must keep its own
/// cells (reading a model would turn a 256-Kbit SPRAM into logic). They are fixed texts, not
/// generated from the configuration, because the cells do not depend on it. Each is checked against
/// yosys's own simulation model of the cell (tests/Bit1HW.HdlGen.Tests/CellModelTests.cs).
/// </summary>
public static class CellModels
{
    public const string Directory = "sim-models";
    public const string Spram = "SB_SPRAM256KA";
    public const string Mac16 = "SB_MAC16";

    public static string PathOf(string cell) => $"{Directory}/{cell}.v";

    public static string Text(string cell) => cell switch
    {
        Spram => SpramText,
        Mac16 => Mac16Text,
        _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, "no model for this cell"),
    };

    private const string SpramText = """
        // SB_SPRAM256KA: behavioural model of the iCE40 UP5K single-port RAM for Verilator and Icarus.
        // Written by bit1hw gen (Bit1HW.HdlGen); synthesis must not read it (yosys maps the instance to its own cell).
        // 16384 words x 16 bits, one address for reads and writes. At a rising CLOCK edge with CHIPSELECT = 1 while
        // powered and awake (POWEROFF = 1, SLEEP = 0, STANDBY = 0): WREN = 1 writes the nibbles of DATAIN that MASKWREN
        // selects into the word at ADDRESS, and DATAOUT is undefined afterwards; WREN = 0 loads DATAOUT with the word at
        // ADDRESS; with CHIPSELECT = 0 DATAOUT holds. Contents are undefined until written. Low power is modelled only at
        // DATAOUT, at clock edges: 0 while asleep or powered off, undefined in standby (bit1hw ties all three inactive).
        module SB_SPRAM256KA (
            input  wire [13:0] ADDRESS,
            input  wire [15:0] DATAIN,
            input  wire [3:0] MASKWREN,
            input  wire WREN,
            input  wire CHIPSELECT,
            input  wire CLOCK,
            input  wire STANDBY,
            input  wire SLEEP,
            input  wire POWEROFF,
            output reg  [15:0] DATAOUT
        );
            reg [15:0] words [0:16383];
            // Masked nibble writes, or a registered read.
            always @(posedge CLOCK) begin
                if (SLEEP || !POWEROFF) begin
                    DATAOUT <= 16'h0000;
                end else if (STANDBY) begin
                    DATAOUT <= 16'hxxxx;
                end else if (CHIPSELECT) begin
                    if (WREN) begin
                        if (MASKWREN[0]) words[ADDRESS][3:0] <= DATAIN[3:0];
                        if (MASKWREN[1]) words[ADDRESS][7:4] <= DATAIN[7:4];
                        if (MASKWREN[2]) words[ADDRESS][11:8] <= DATAIN[11:8];
                        if (MASKWREN[3]) words[ADDRESS][15:12] <= DATAIN[15:12];
                        DATAOUT <= 16'hxxxx;
                    end else begin
                        DATAOUT <= words[ADDRESS];
                    end
                end
            end
        endmodule

        """;

    private const string Mac16Text = """
        // SB_MAC16: behavioural model of the iCE40 DSP block for Verilator and Icarus, limited to what bit1hw
        // instantiates: its two 16-bit adder/accumulators fed directly by A and B (the multiplier unused), inputs
        // not registered, rising clock. Any other parameter value stops the simulation at time 0.
        // Written by bit1hw gen (Bit1HW.HdlGen); synthesis must not read it (yosys maps the instance to its own cell).
        // Lower half: addend B, other operand D (BOTADDSUB_UPPERINPUT = 1) or the lower register S (0), carry-in 0, 1,
        //   ACCUMCI or CI (BOTADDSUB_CARRYSELECT 0..3); with ADDSUBBOT = 1 the other operand minus the addend and carry.
        //   S takes OLOADBOT ? D : that result at a rising CLK when CE = 1 and OHOLDBOT = 0; ORSTBOT clears it at once.
        // Upper half: the same with A, C, the upper register Q, ...TOP and carry-in 0, 1, the lower half's carry-out,
        //   or that carry XOR ADDSUBBOT (TOPADDSUB_CARRYSELECT 0..3).
        // O = {upper, lower}: each half's register (OUTPUT_SELECT 1) or the value it is about to load (0).
        module SB_MAC16 (
            input  wire CLK,
            input  wire CE,
            input  wire [15:0] C,
            input  wire [15:0] A,
            input  wire [15:0] B,
            input  wire [15:0] D,
            input  wire AHOLD,
            input  wire BHOLD,
            input  wire CHOLD,
            input  wire DHOLD,
            input  wire IRSTTOP,
            input  wire IRSTBOT,
            input  wire ORSTTOP,
            input  wire ORSTBOT,
            input  wire OLOADTOP,
            input  wire OLOADBOT,
            input  wire ADDSUBTOP,
            input  wire ADDSUBBOT,
            input  wire OHOLDTOP,
            input  wire OHOLDBOT,
            input  wire CI,
            input  wire ACCUMCI,
            input  wire SIGNEXTIN,
            output wire [31:0] O,
            output wire CO,
            output wire ACCUMCO,
            output wire SIGNEXTOUT
        );
            parameter [0:0] NEG_TRIGGER = 1'b0;
            parameter [0:0] C_REG = 1'b0;
            parameter [0:0] A_REG = 1'b0;
            parameter [0:0] B_REG = 1'b0;
            parameter [0:0] D_REG = 1'b0;
            parameter [0:0] TOP_8x8_MULT_REG = 1'b0;
            parameter [0:0] BOT_8x8_MULT_REG = 1'b0;
            parameter [0:0] PIPELINE_16x16_MULT_REG1 = 1'b0;
            parameter [0:0] PIPELINE_16x16_MULT_REG2 = 1'b0;
            parameter [1:0] TOPOUTPUT_SELECT = 2'd0;
            parameter [1:0] TOPADDSUB_LOWERINPUT = 2'd0;
            parameter [0:0] TOPADDSUB_UPPERINPUT = 1'b0;
            parameter [1:0] TOPADDSUB_CARRYSELECT = 2'd0;
            parameter [1:0] BOTOUTPUT_SELECT = 2'd0;
            parameter [1:0] BOTADDSUB_LOWERINPUT = 2'd0;
            parameter [0:0] BOTADDSUB_UPPERINPUT = 1'b0;
            parameter [1:0] BOTADDSUB_CARRYSELECT = 2'd0;
            parameter [0:0] MODE_8x8 = 1'b0;
            parameter [0:0] A_SIGNED = 1'b0;
            parameter [0:0] B_SIGNED = 1'b0;
            // Only the adder/accumulator configuration is modelled.
            initial begin
                if (NEG_TRIGGER != 1'b0 || C_REG != 1'b0 || A_REG != 1'b0 || B_REG != 1'b0 || D_REG != 1'b0
                    || TOPADDSUB_LOWERINPUT != 2'd0 || BOTADDSUB_LOWERINPUT != 2'd0
                    || TOPOUTPUT_SELECT[1] != 1'b0 || BOTOUTPUT_SELECT[1] != 1'b0)
                    $fatal(1, "SB_MAC16 model: only the adder/accumulator with direct A/B inputs is modelled");
            end
            wire unused_inputs = &{AHOLD, BHOLD, CHOLD, DHOLD, IRSTTOP, IRSTBOT, SIGNEXTIN, TOP_8x8_MULT_REG, BOT_8x8_MULT_REG,
                PIPELINE_16x16_MULT_REG1, PIPELINE_16x16_MULT_REG2, MODE_8x8, A_SIGNED, B_SIGNED};
            reg [15:0] upper_q;
            reg [15:0] lower_q;
            // Lower half.
            wire [15:0] lower_other = BOTADDSUB_UPPERINPUT ? D : lower_q;
            wire lower_cin = BOTADDSUB_CARRYSELECT == 2'd0 ? 1'b0 : BOTADDSUB_CARRYSELECT == 2'd1 ? 1'b1
                : BOTADDSUB_CARRYSELECT == 2'd2 ? ACCUMCI : CI;
            wire [16:0] lower_sum = {1'b0, B} + {1'b0, lower_other ^ {16{ADDSUBBOT}}} + {16'd0, lower_cin};
            wire [15:0] lower_next = OLOADBOT ? D : lower_sum[15:0] ^ {16{ADDSUBBOT}};
            // Upper half, its carry-in from the lower half.
            wire [15:0] upper_other = TOPADDSUB_UPPERINPUT ? C : upper_q;
            wire upper_cin = TOPADDSUB_CARRYSELECT == 2'd0 ? 1'b0 : TOPADDSUB_CARRYSELECT == 2'd1 ? 1'b1
                : TOPADDSUB_CARRYSELECT == 2'd2 ? lower_sum[16] : lower_sum[16] ^ ADDSUBBOT;
            wire [16:0] upper_sum = {1'b0, A} + {1'b0, upper_other ^ {16{ADDSUBTOP}}} + {16'd0, upper_cin};
            wire [15:0] upper_next = OLOADTOP ? C : upper_sum[15:0] ^ {16{ADDSUBTOP}};
            // The accumulator registers.
            always @(posedge CLK or posedge ORSTBOT) begin
                if (ORSTBOT) lower_q <= 16'd0;
                else if (CE && !OHOLDBOT) lower_q <= lower_next;
            end
            always @(posedge CLK or posedge ORSTTOP) begin
                if (ORSTTOP) upper_q <= 16'd0;
                else if (CE && !OHOLDTOP) upper_q <= upper_next;
            end
            assign O = {TOPOUTPUT_SELECT[0] ? upper_q : upper_next, BOTOUTPUT_SELECT[0] ? lower_q : lower_next};
            assign ACCUMCO = upper_sum[16];
            assign CO = upper_sum[16] ^ ADDSUBTOP;
            assign SIGNEXTOUT = A[15];
        endmodule

        """;
}
