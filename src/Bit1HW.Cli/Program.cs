using Bit1HW.Cli;

return CliRunner.Run(args, Console.Out, Console.Error);
