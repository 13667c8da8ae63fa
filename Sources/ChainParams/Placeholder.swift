public enum ChainParamsPlaceholder {}
